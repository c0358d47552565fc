"""The publishing columns every record table shares (cases, lessons, blocks), selected the same way everywhere.

Below the engines, so search reads a record's working copy and published snapshot with the same columns
as the publishing transitions.
"""

from __future__ import annotations

from typing import Any

from casebook.db.tables.publishable import PublishableRecord


def publication_columns(t: type[PublishableRecord]) -> tuple[Any, ...]:
    """A record's identity, working copy and published snapshot: what a transition and a reader need."""
    return (t.id, t.tenant, t.tenant.slug.as_alias("tenant_slug"), t.slug, t.title, t.visibility, t.version,
            t.data, t.updated_at, t.deleted_at, t.publication, t.published_version, t.published_visibility,
            t.published_data, t.published_at, t.review_comment)
