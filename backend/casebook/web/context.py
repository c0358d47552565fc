"""What every page template gets: the actor, its organisations and the vocabulary."""

from __future__ import annotations

from typing import Any

from casebook.domain import vocabulary
from casebook.domain.access import Actor


def page_context(actor: Actor, **extra: Any) -> dict[str, Any]:
    return {"actor": actor, "vocab": vocabulary, **extra}
