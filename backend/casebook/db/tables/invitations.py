"""Invitations: a link that lets a person join an organisation with a role. Only its SHA-256 is stored."""

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from casebook.db.tables.tenancy import Tenant, User


class Invitation(Table, tablename="invitation"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    tenant = ForeignKey(references=Tenant, index=True)
    role = Varchar(length=20)
    email = Varchar(length=254, null=True, default=None)  # when set, only this address may accept
    token_hash = Varchar(length=64, unique=True)
    prefix = Varchar(length=16)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    accepted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    revoked_at = Timestamptz(null=True, default=None)
