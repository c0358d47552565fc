"""First-run set-up shared by `casebook init` and `casebook serve`: schema, library, demo account."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from casebook.db.migrate import migrate
from casebook.db.tables import CaseRecord, LessonRecord, Tenant
from casebook.services import lessons, library, tenants, users
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR, get_settings

DEMO_TENANT = "demo"
DEMO_EMAIL = "demo@casebook.local"


@dataclass
class InitReport:
    imported: dict[str, int] | None
    demo_password: str | None  # set only when the demo user was created now with a generated password
    lessons_imported: int = 0


async def ensure_tenant(slug: str, name: str, kind: str = "organisation") -> int:
    row = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    return row["id"] if row else (await tenants.create_tenant(slug, name, kind))["id"]


async def init(load_library: bool = True) -> InitReport:
    settings = get_settings()
    await migrate()
    library_id = await ensure_tenant(settings.library_tenant, "Casebook public library")
    imported = None
    if load_library and not await CaseRecord.exists().where(CaseRecord.tenant == library_id):
        imported = await library.import_files(system_actor(library_id), settings.library_tenant, [CASES_DIR],
                                              visibility="public")
    lessons_imported = 0
    if load_library and not await LessonRecord.exists().where(LessonRecord.tenant == library_id):
        seeded = await lessons.import_files(system_actor(library_id), settings.library_tenant,
                                            [CASES_DIR / "lessons"], visibility="public")
        lessons_imported = seeded["created"]
    demo_password = None
    if await users.user_by_email(DEMO_EMAIL) is None:
        demo_id = await ensure_tenant(DEMO_TENANT, "Demo Organisation")
        password = settings.demo_password or secrets.token_urlsafe(12)
        user = await users.create_user(DEMO_EMAIL, "Demo User", password)
        await tenants.set_membership(demo_id, user["id"], "admin")
        demo_password = None if settings.demo_password else password
    return InitReport(imported=imported, demo_password=demo_password, lessons_imported=lessons_imported)
