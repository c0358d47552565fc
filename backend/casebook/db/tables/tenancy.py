"""Tenants (organisations and networks), users, memberships and API tokens."""

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Tenant(Table, tablename="tenant"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=20, default="organisation")  # organisation | network
    created_at = Timestamptz(default=TimestamptzNow())


class User(Table, tablename="app_user"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    email = Varchar(length=254, unique=True)
    name = Varchar(length=200)
    password_hash = Varchar(length=255)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    session_epoch = Integer(default=0)  # in every sign-in session; raised to end them all (m0011)


class Membership(Table, tablename="membership"):
    """A user's role in a tenant: viewer, editor or admin. Unique per (user, tenant)."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    user = ForeignKey(references=User)
    tenant = ForeignKey(references=Tenant)
    role = Varchar(length=20)
    created_at = Timestamptz(default=TimestamptzNow())


class NetworkMember(Table, tablename="network_member"):
    """An organisation's membership of a network tenant."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    network = ForeignKey(references=Tenant)
    member = ForeignKey(references=Tenant)
    created_at = Timestamptz(default=TimestamptzNow())


class ApiToken(Table, tablename="api_token"):
    """A bearer token acting as one user within one tenant. Only its SHA-256 is stored."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    user = ForeignKey(references=User)
    tenant = ForeignKey(references=Tenant)
    name = Varchar(length=100)
    prefix = Varchar(length=16)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginFailure(Table, tablename="login_failure"):
    """Failed sign-ins, kept briefly so rate limiting holds across processes."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    key = Varchar(length=300, index=True)
    at = Timestamptz(default=TimestamptzNow())
