"""The shapes of the API's answers, as msgspec Structs, one module per concept, so the OpenAPI document says
what every operation returns and a service that drifts from its shape fails loudly in the tests.

Services return plain dictionaries (the pages and the CLI read them too); the controllers `shaped` them on
the way out. Output is unchanged: a key a service leaves out is `UNSET` (omitted), one it sets to None is
null, and `forbid_unknown_fields` makes a key no shape declares an error instead of a silent loss.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


class Shape(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The base of every answer shape."""


def shaped(kind: type[T], value: Any) -> T:
    """A service's dictionary (or list of them) as the answer shape `kind`, checked field by field."""
    return msgspec.convert(value, kind)
