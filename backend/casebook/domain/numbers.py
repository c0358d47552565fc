"""Whole numbers typed by people: ASCII digits only.

`str.isdigit()` accepts `³` and other Unicode digits that `int()` then refuses (a 500), and `int()` itself
accepts Arabic-Indic digits, signs, spaces and underscores. Every id, version and page number is read here.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")
MAX_ID = 2**31 - 1
"""The largest id or version a database column holds (PostgreSQL integer)."""


def is_digits(text: object) -> bool:
    return isinstance(text, str) and _DIGITS.fullmatch(text) is not None


def parse_int(text: object, maximum: int = MAX_ID) -> int | None:
    """The number, or None for anything that is not 0-9 digits within 0..maximum."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 0 <= text <= maximum else None
    if not is_digits(text):
        return None
    value = int(str(text))
    return value if value <= maximum else None
