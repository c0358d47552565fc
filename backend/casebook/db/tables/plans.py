"""Replication plans and their revisions. Tenant-private: only members of the owner tenant read them."""

from piccolo.columns import JSON, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from casebook.db.tables.tenancy import Tenant, User


class Plan(Table, tablename="plan"):
    """The current revision: the generated plan (`data`), the target it was built for, and the manual
    `edits` keyed by line id, which survive re-generation. `version` drives optimistic concurrency."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    tenant = ForeignKey(references=Tenant, index=True)
    title = Varchar(length=300)
    template_tenant = Varchar(length=80)
    template_slug = Varchar(length=80)
    target = JSON()
    data = JSON()
    edits = JSON(default="{}")
    version = Integer(default=1)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    updated_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PlanRevision(Table, tablename="plan_revision"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    plan = ForeignKey(references=Plan, index=True, on_delete=OnDelete.cascade)
    version = Integer()
    action = Varchar(length=20)  # create | edit | regenerate
    target = JSON()
    data = JSON()
    edits = JSON(default="{}")
    author = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
