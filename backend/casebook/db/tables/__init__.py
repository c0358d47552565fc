"""Piccolo tables. Thin rows only: the rules live in casebook.domain and casebook.services."""

from casebook.db.tables.cases import CaseFacet, CaseRecord, CaseRevision
from casebook.db.tables.contexts import SavedContext
from casebook.db.tables.events import AuditEvent, Outbox
from casebook.db.tables.feed_tokens import FeedToken
from casebook.db.tables.invitations import Invitation
from casebook.db.tables.lessons import LessonFacet, LessonRecord, LessonRevision
from casebook.db.tables.plans import Plan, PlanRevision
from casebook.db.tables.tenancy import ApiToken, LoginFailure, Membership, NetworkMember, Tenant, User

ALL_TABLES = [
    Tenant, User, Membership, NetworkMember, ApiToken, LoginFailure,
    CaseRecord, CaseRevision, CaseFacet, Outbox, AuditEvent,
    Plan, PlanRevision,
    Invitation,
    LessonRecord, LessonRevision, LessonFacet,
    SavedContext,
    FeedToken,
]

__all__ = [
    "ALL_TABLES", "ApiToken", "AuditEvent", "CaseFacet", "CaseRecord", "CaseRevision", "FeedToken", "Invitation",
    "LessonFacet", "LessonRecord", "LessonRevision", "LoginFailure", "Membership", "NetworkMember", "Outbox", "Plan",
    "PlanRevision", "SavedContext", "Tenant", "User",
]
