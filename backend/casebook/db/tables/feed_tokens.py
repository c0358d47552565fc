"""Feed tokens: a secret in a feed URL, so a feed reader (which cannot sign in) reads a network's feed as one
user. Only its SHA-256 is stored, like an API token; unlike one it opens nothing but feeds."""

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from casebook.db.tables.tenancy import User


class FeedToken(Table, tablename="feed_token"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    prefix = Varchar(length=16)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
