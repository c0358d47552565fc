"""Property tests of the case and lesson file parsers: any input is a clear problem or a valid record.

Never an uncaught exception (issue 11, "keep them closed"): arbitrary text, arbitrary YAML structures, and
valid files with one key replaced by anything.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.domain.casefile import check_case, dump_case, load_case_text
from casebook.domain.errors import InvalidInput
from casebook.domain.lessonfile import check_lesson, dump_lesson, load_lesson_text
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
CASE, LESSON = make_case("property-case"), make_lesson("property-lesson")


def outcome(loader: Any, text: str) -> dict | list:
    """The record, or the problems; anything else escaping is the failure these tests look for."""
    try:
        data = loader(text, "input.yaml")
    except InvalidInput as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return exc.problems
    assert isinstance(data, dict)
    return data


@SETTINGS
@given(st.text(max_size=300))
def test_any_text(text):
    outcome(load_case_text, text)
    outcome(load_lesson_text, text)


@SETTINGS
@given(VALUES)
def test_any_yaml_structure(value):
    text = yaml.safe_dump(value, allow_unicode=True)
    outcome(load_case_text, text)
    outcome(load_lesson_text, text)


@SETTINGS
@given(st.sampled_from(sorted(CASE) + ["sensitive", "period", "countries", "partners", "sources"]), VALUES)
def test_a_valid_case_with_one_key_replaced(key, value):
    data = {**CASE, key: value}
    result = outcome(load_case_text, dump_case(data))
    if isinstance(result, dict):
        assert check_case(result) == []


@SETTINGS
@given(st.sampled_from(sorted(LESSON) + ["cases", "sources", "body"]), VALUES)
def test_a_valid_lesson_with_one_key_replaced(key, value):
    data = {**LESSON, key: value}
    result = outcome(load_lesson_text, dump_lesson(data))
    if isinstance(result, dict):
        assert check_lesson(result) == []


@SETTINGS
@given(st.lists(st.sampled_from(["a: ", "- ", "[", "]", "{", "}", "&x ", "*x", "!!python/object ", "? ", ": ",
                                 "\n", "  ", "'", '"', "|", ">", "2020-13-45", "~", "0x1F", "\t", "#", "\x00"]),
                max_size=40).map("".join))
def test_yaml_punctuation_soup(text):
    outcome(load_case_text, text)
    outcome(load_lesson_text, text)
