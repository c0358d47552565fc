"""Import and export of case files: lossless round trip, all-or-nothing imports, and the CLI on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.db.tables import CaseRecord
from casebook.domain.casefile import dump_case, load_case_files
from casebook.domain.errors import InvalidInput
from casebook.services import library, tenants
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from tests.factory import make_case


@pytest.fixture
async def org(clean) -> int:
    return (await tenants.create_tenant("org", "Org"))["id"]


async def test_export_then_import_is_lossless(org, tmp_path: Path):
    operator = system_actor(org)
    result = await library.import_files(operator, "org", [CASES_DIR])
    assert result["created"] == len(load_case_files([CASES_DIR]))
    written = await library.export_files(operator, "org", tmp_path / "out")
    assert {p.name for p in written} == {p.name for p, _ in load_case_files([CASES_DIR])}
    exported = dict((d["slug"], d) for _, d in load_case_files([tmp_path / "out"]))
    original = dict((d["slug"], d) for _, d in load_case_files([CASES_DIR]))
    assert exported == original
    second = (await tenants.create_tenant("copy", "Copy"))["id"]
    await library.import_files(system_actor(second), "copy", [tmp_path / "out"])
    copied = await library.export_documents(system_actor(second), "copy")
    assert copied == await library.export_documents(operator, "org")


async def test_an_import_with_one_bad_file_writes_nothing(org, tmp_path: Path):
    (tmp_path / "a.yaml").write_text(dump_case(make_case("good-one")))
    (tmp_path / "b.yaml").write_text(dump_case(make_case("bad-one", country="QQ")))
    with pytest.raises(InvalidInput) as info:
        await library.import_files(system_actor(org), "org", [tmp_path])
    assert [(Path(p.file).name, p.field) for p in info.value.problems] == [("b.yaml", "country")]
    assert await CaseRecord.count() == 0


async def test_an_import_clashing_with_an_existing_slug_writes_nothing(org, tmp_path: Path):
    await library.import_documents(system_actor(org), "org", [("x", make_case("taken"))])
    (tmp_path / "a.yaml").write_text(dump_case(make_case("fresh")))
    (tmp_path / "b.yaml").write_text(dump_case(make_case("taken")))
    with pytest.raises(InvalidInput) as info:
        await library.import_files(system_actor(org), "org", [tmp_path])
    assert "already exists in org" in info.value.problems[0].message
    assert await CaseRecord.count() == 1
    replaced = await library.import_files(system_actor(org), "org", [tmp_path], replace=True)
    assert replaced == {"created": 1, "updated": 0, "unchanged": 1}


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEBOOK_HOME": str(home)}
    env.pop("CASEBOOK_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "casebook.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_cli_validates_imports_and_reports_bad_files(tmp_path: Path):
    home = tmp_path / "home"
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: Not A Slug\ntitle: x\n")
    checked = run_cli("cases", "validate", str(bad), home=home)
    assert checked.returncode == 1
    assert f"{bad}:1 slug: 'Not A Slug' has the wrong form" in checked.stderr
    assert run_cli("init", "--no-library", home=home).returncode == 0
    assert run_cli("tenants", "create", "acme", "--name", "Acme", home=home).returncode == 0
    refused = run_cli("cases", "import", str(bad), "--tenant", "acme", home=home)
    assert refused.returncode == 1 and "nothing was changed" in refused.stderr
    good = run_cli("cases", "import", str(CASES_DIR / "bosnia-zenica-steelworks.yaml"), "--tenant", "acme", home=home)
    assert good.returncode == 0, good.stderr
    listed = run_cli("cases", "list", "--tenant", "acme", home=home)
    assert "acme/bosnia-zenica-steelworks" in listed.stdout
    out = tmp_path / "export"
    assert run_cli("cases", "export", "--tenant", "acme", str(out), home=home).returncode == 0
    assert (out / "bosnia-zenica-steelworks.yaml").read_text() == dump_case(
        load_case_files([CASES_DIR / "bosnia-zenica-steelworks.yaml"])[0][1])
    missing = run_cli("cases", "import", str(CASES_DIR), "--tenant", "nobody", home=home)
    assert missing.returncode == 1 and "organisation 'nobody' not found" in missing.stderr
