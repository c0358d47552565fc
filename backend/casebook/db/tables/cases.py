"""Cases, their revisions and their filterable facets."""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow

from casebook.db.tables.publishable import PublishableRecord, RecordFacet, RecordRevision
from casebook.db.tables.tenancy import Tenant, User


class CaseRecord(PublishableRecord, tablename="case_record"):
    """The current revision of a case. `data` is the case file, exactly as validated.

    Unique per (tenant, slug); `version` drives optimistic concurrency.
    """

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    tenant = ForeignKey(references=Tenant, index=True)
    slug = Varchar(length=80)
    visibility = Varchar(length=10, default="private")  # private | network | public
    title = Varchar(length=200)
    country = Varchar(length=2, null=True, default=None)
    status = Varchar(length=20)
    data = JSON()
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    updated_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    deleted_at = Timestamptz(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)  # owner confirmed "still current" without editing
    # Publishing (see casebook.domain.publication). `visibility` is the audience the owner asks for;
    # readers outside the owner see only the last approved snapshot, under `published_visibility`.
    publication = Varchar(length=12, default="draft")  # draft | in_review | published | withdrawn
    published_version = Integer(null=True, default=None)
    published_visibility = Varchar(length=10, null=True, default=None)  # null: nobody outside the owner
    published_data = JSON(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    review_comment = Text(null=True, default=None)  # the reviewer's note when sent back


class CaseRevision(RecordRevision, tablename="case_revision"):
    """Every saved version of a case, including the first."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    case = ForeignKey(references=CaseRecord, index=True)
    version = Integer()
    visibility = Varchar(length=10)
    data = JSON()
    action = Varchar(length=20)  # create | update | delete | restore | import
    author = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)  # set when this revision was approved
    withdrawn = Boolean(default=False)  # approved, then taken down: never shown outside the owner again


class CaseFacet(RecordFacet, tablename="case_facet"):
    """One (facet, value) pair of a case, so list filters work the same on SQLite and PostgreSQL."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    case = ForeignKey(references=CaseRecord, index=True)
    facet = Varchar(length=30)
    value = Varchar(length=100)

