"""What every page template gets: the actor, its organisations, the vocabulary and its readable labels."""

from __future__ import annotations

from typing import Any

from casebook.domain import vocabulary
from casebook.domain.access import Actor

# Step numbers as people read them in the ESCAP/UNU guidelines ("2. Agenda setting and scoping"), not slugs.
STEP_LABELS = {n: f"{n}. {slug.replace('-', ' ').capitalize()}" for n, slug in vocabulary.MSP_STEPS.items()}


def page_context(actor: Actor, **extra: Any) -> dict[str, Any]:
    return {"actor": actor, "vocab": vocabulary, "step_labels": STEP_LABELS, **extra}
