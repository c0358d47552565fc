"""The columns every publishable record kind shares (cases, lessons), for code written once for all kinds.

For type checkers only: at run time each name is Piccolo's `Table` itself, so the tables, their columns and
their migrations are exactly those their own class bodies declare. A type checker sees a base declaring the
shared columns, so generic record code (`type[PublishableRecord]`) is checked, and a record table that lacks
one of them, or declares it with another type, fails the check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from piccolo.table import Table

if TYPE_CHECKING:
    from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar

    from casebook.db.tables.tenancy import Tenant, User

    class PublishableRecord(Table):
        """The current revision of a record, its working copy and its last approved snapshot."""

        id: Serial
        tenant: ForeignKey[Tenant]
        slug: Varchar
        visibility: Varchar
        title: Varchar
        data: JSON
        version: Integer
        created_at: Timestamptz
        updated_at: Timestamptz
        created_by: ForeignKey[User]
        updated_by: ForeignKey[User]
        deleted_at: Timestamptz
        publication: Varchar
        published_version: Integer
        published_visibility: Varchar
        published_data: JSON
        published_at: Timestamptz
        review_comment: Text

    class RecordRevision(Table):
        """A saved version of a record (its foreign key to the record is named after the kind)."""

        id: Serial
        version: Integer
        visibility: Varchar
        data: JSON
        action: Varchar
        author: ForeignKey[User]
        created_at: Timestamptz
        published_at: Timestamptz
        withdrawn: Boolean

    class RecordFacet(Table):
        """One (facet, value) pair of a record, for list filters (its foreign key is named after the kind)."""

        id: Serial
        facet: Varchar
        value: Varchar
else:
    PublishableRecord = RecordRevision = RecordFacet = Table
