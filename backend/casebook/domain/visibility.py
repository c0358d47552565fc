"""What a reader sees of a publishable record row: the owner its working copy, others the redacted snapshot.

The Python form of the access rule for rows already fetched (`access.read_condition` is the SQL form), so
the matcher, search, exports and services decide alike.
"""

from __future__ import annotations

import json
from typing import Any

from casebook.domain.access import Actor, can_read
from casebook.domain.redaction import redact


def json_value(value: Any) -> Any:
    """A JSON column as Python: SQLite returns its text, PostgreSQL the decoded value."""
    return json.loads(value) if isinstance(value, str) else value


def visible_data(row: dict[str, Any], actor: Actor) -> dict[str, Any] | None:
    """What the actor reads of a record: the working copy in the owner, else the redacted snapshot, else None."""
    if row["tenant"] in actor.roles:
        return json_value(row["data"])
    audience = row["published_visibility"]
    if audience is None or row["published_data"] is None or not can_read(actor, row["tenant"], audience):
        return None
    return redact(json_value(row["published_data"]))
