"""The matcher on the seed library: the issue's example query, a case query, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from casebook.domain.access import ANONYMOUS
from casebook.services import library, tenants
from casebook.services import matching as service
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from tests.conftest import ENGINE, RUNTIME


async def test_words_of_a_different_story_find_the_zenica_deadlock(clean):
    tenant = await tenants.create_tenant("library", "Library", "organisation")
    await library.import_files(system_actor(tenant["id"]), "library", [CASES_DIR], "public")
    found = await service.match(ANONYMOUS, context={
        "title": "mistrust between the steel company and residents", "country": "RS"}, top=3, index=RUNTIME.matcher)
    top = found["results"][0]
    assert (top["slug"], top["country"]) == ("bosnia-zenica-steelworks", "BA")
    region = {"facet": "geography", "values": ["Southern Europe"], "text": "same region: Southern Europe"}
    assert region in top["agreements"]
    similar = await service.match(ANONYMOUS, case="bosnia-zenica-steelworks", top=2, index=RUNTIME.matcher)
    assert [r["slug"] for r in similar["results"]] == ["liberia-concessions-hsbp", "colombia-antioquia-rural-hsbp"]
    assert similar["results"][0]["differences"][0]["text"] == ("dependence on single company: high here, "
                                                            "not recorded in the case")


def test_cli_match_with_a_context_file(tmp_path: Path):
    if ENGINE != "sqlite":
        return  # the CLI runs in its own process on its own SQLite file; once is enough
    env = dict(os.environ, CASEBOOK_HOME=str(tmp_path / "home"), CASEBOOK_DEMO_PASSWORD="demo password 123")
    env.pop("CASEBOOK_DATABASE_URL", None)
    cli = [sys.executable, "-c", "from casebook.cli.main import cli; cli()"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    target = tmp_path / "target.yaml"
    target.write_text("title: Vaccination refusals in northern districts\ncountry: NG\nsectors: [health]\n")
    out = subprocess.run([*cli, "match", "--context", str(target), "--top", "1", "--json"], env=env,
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert [r["slug"] for r in result["results"]] == ["india-pulse-polio"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Something\ncountry: QQ\n")
    failed = subprocess.run([*cli, "match", "--context", str(bad)], env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr == ("error: 1 problem(s) found, nothing was changed\n"
                             "  context.country: unknown country code 'QQ' (ISO 3166-1 alpha-2 expected)\n")
