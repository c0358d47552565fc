"""Saved target contexts: a description of a site that an organisation reuses to find comparable cases and to
plan. Tenant-private, like plans: only members of the owner tenant read them."""

from piccolo.columns import JSON, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from casebook.db.tables.tenancy import Tenant, User


class SavedContext(Table, tablename="saved_context"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    tenant = ForeignKey(references=Tenant, index=True)
    name = Varchar(length=120)
    context = JSON()  # a valid target context (casebook.matching.target)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
