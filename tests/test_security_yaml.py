"""YAML bombs: anchors and aliases, and deep nesting, are refused in case and lesson files (issue 11, High 2).

Seven levels of nested aliases (491 bytes) used to expand exponentially while lines were indexed, on the
event loop; `&a [*a]` (a cycle) answered 500. Each must now be a clear problem naming what is wrong, with
nothing written.
"""

from __future__ import annotations

import pytest
import yaml

from casebook.db.tables import CaseRecord
from casebook.domain.casefile import MAX_DEPTH, dump_case, load_case_text
from casebook.domain.errors import InvalidInput
from casebook.domain.lessonfile import load_lesson_text
from tests.factory import make_case
from tests.test_web_plans import signed_in

ALIAS_MESSAGE = "not valid YAML: anchors and aliases (&name, *name) are not allowed in case and lesson files"


def nested_aliases(levels: int = 7) -> str:
    """The billion-laughs file of the attack run: each level lists the one before nine times."""
    lines = ['l0: &l0 "lol"']
    for n in range(1, levels + 1):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


BOMBS = {
    "nested-aliases": (nested_aliases(), ALIAS_MESSAGE, 1),
    "self-reference": ("&a [*a]\n", ALIAS_MESSAGE, 1),
    "anchor-in-a-case": (dump_case(make_case("anchored")).replace("status: active", "status: &s active"),
                         ALIAS_MESSAGE, None),
    "deep-nesting": ("slug: " + "[" * 200 + "]" * 200 + "\n", f"not valid YAML: nested deeper than {MAX_DEPTH} levels",
                     1),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
@pytest.mark.parametrize("loader", [load_case_text, load_lesson_text], ids=["case", "lesson"])
def test_bombs_are_refused_with_a_clear_problem(loader, name):
    text, message, line = BOMBS[name]
    with pytest.raises(InvalidInput) as caught:
        loader(text, f"{name}.yaml")
    [problem] = caught.value.problems
    assert (problem.message, problem.file) == (message, f"{name}.yaml")
    expected_line = line or text.splitlines().index("status: &s active") + 1
    assert problem.line == expected_line


def test_the_seed_style_file_still_loads_with_its_lines():
    text = dump_case(make_case("plain-case"))
    assert load_case_text(text, "plain.yaml")["slug"] == "plain-case"
    assert yaml.safe_load(text) == load_case_text(text, "plain.yaml")


@pytest.mark.parametrize("name", ["nested-aliases", "self-reference", "deep-nesting"])
async def test_import_page_answers_400_and_writes_nothing(world, client, name):
    token = await signed_in(client, "alpha_editor")
    good = dump_case(make_case("would-be-imported"))
    response = await client.post("/import", data={"_csrf_token": token, "tenant": "alpha", "visibility": "private"},
                                 files=[("files", ("good.yaml", good.encode(), "application/x-yaml")),
                                        ("files", (f"{name}.yaml", BOMBS[name][0].encode(), "application/x-yaml"))])
    assert response.status_code == 400
    assert BOMBS[name][1].replace("&", "&amp;") in response.text
    assert await CaseRecord.count().where(CaseRecord.slug == "would-be-imported") == 0
