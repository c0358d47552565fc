"""Lessons learned: their own records, with the same visibility, versioning and publishing as cases."""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow

from casebook.db.tables.publishable import PublishableRecord, RecordFacet, RecordRevision
from casebook.db.tables.tenancy import Tenant, User


class LessonRecord(PublishableRecord, tablename="lesson_record"):
    """The current revision of a lesson. `data` holds title, body (Markdown source), tags, msp_steps,
    dimensions and cases ("tenant/slug" references). Unique per (tenant, slug)."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    tenant = ForeignKey(references=Tenant, index=True)
    slug = Varchar(length=80)
    visibility = Varchar(length=10, default="private")  # private | network | public
    title = Varchar(length=200)
    data = JSON()
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)  # the author
    updated_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    deleted_at = Timestamptz(null=True, default=None)
    publication = Varchar(length=12, default="draft")  # draft | in_review | published | withdrawn
    published_version = Integer(null=True, default=None)
    published_visibility = Varchar(length=10, null=True, default=None)
    published_data = JSON(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    review_comment = Text(null=True, default=None)


class LessonRevision(RecordRevision, tablename="lesson_revision"):
    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    lesson = ForeignKey(references=LessonRecord, index=True)
    version = Integer()
    visibility = Varchar(length=10)
    data = JSON()
    action = Varchar(length=20)  # create | update | delete | restore | submit | approve | return | withdraw
    author = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    withdrawn = Boolean(default=False)  # approved, then taken down: never shown outside the owner again


class LessonFacet(RecordFacet, tablename="lesson_facet"):
    """One (facet, value) pair of a lesson (tags, MSP steps, dimensions, linked cases), for list filters."""

    id: Serial  # Piccolo's implicit primary key, annotated for type checkers (no column declared)
    lesson = ForeignKey(references=LessonRecord, index=True)
    facet = Varchar(length=30)
    value = Varchar(length=100)
