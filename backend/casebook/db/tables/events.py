"""The search outbox and the audit log: both written in the same transaction as the change."""

from piccolo.columns import JSON, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from casebook.db.tables.tenancy import Tenant, User


class Outbox(Table, tablename="outbox"):
    """A pending change for the search index. Processed rows are kept for drift checks."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    entity = Varchar(length=20)  # case | lesson
    entity_id = Integer()
    op = Varchar(length=10)  # upsert | delete
    created_at = Timestamptz(default=TimestamptzNow())
    processed_at = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    last_error = Text(null=True, default=None)


class AuditEvent(Table, tablename="audit_event"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    tenant = ForeignKey(references=Tenant, null=True, index=True)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    action = Varchar(length=60)
    target = Varchar(length=200)
    detail = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow())
