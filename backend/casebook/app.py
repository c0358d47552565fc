"""The Litestar application: JSON API under /api/v1, pages, static files and OpenAPI at /schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, MediaType, Request, Response, Router, get
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

import casebook.db
import casebook.threads  # noqa: F401  (one numeric thread per worker, before numpy loads)
from casebook import __version__
from casebook.api.auth import api_actor, page_actor
from casebook.api.cases import CaseController
from casebook.api.contexts import ContextController
from casebook.api.errors import document_errors, error_body, error_headers, json_error
from casebook.api.exports import export_cases
from casebook.api.lessons import LessonController
from casebook.api.match import match_cases
from casebook.api.me import me
from casebook.api.plans import PlanController
from casebook.api.search import SearchController
from casebook.api.text_guard import refuse_nul
from casebook.domain.access import ANONYMOUS
from casebook.runtime import Runtime
from casebook.settings import FRONTEND_DIR, MAX_FORM_PARTS, MAX_REQUEST_BYTES, Settings, settings_from_env
from casebook.web import admin, compare, editor, feeds, lessons, library, match, picker, plans, review, session
from casebook.web.context import page_context
from casebook.web.headers import security_headers
from casebook.web.site import check_host
from casebook.web.templates import PageTemplates


def serve_runtime(settings: Settings) -> object:
    """The app's lifespan: builds the runtime from the app's settings, starts it with its background loops,
    and closes it (loops, workers, connections) when the app stops."""
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with Runtime.build(settings).running(background=True) as runtime:
            app.state.runtime = runtime
            yield
    return lifespan


async def provide_runtime(state: State) -> Runtime:
    """The `runtime` dependency: the app's runtime, for handlers that need its search backend, matcher or jobs."""
    return state.runtime


def handle_error(request: Request, exc: Exception) -> Response:
    """JSON for the API and the schema, an HTML page for everything else."""
    if request.url.path.startswith(("/api/", "/schema")):
        return json_error(request, exc)
    status, body = error_body(exc)
    return Template("error.html", status_code=status, headers=error_headers(status, exc),
                    context=page_context(ANONYMOUS, status=status, message=body["error"],
                                         problems=body.get("problems", [])))


async def check_request(request: Request) -> None:
    """Before every handler: a Host this site serves, and no NUL characters."""
    await check_host(request)
    await refuse_nul(request)


@get("/healthz", media_type=MediaType.JSON, include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


def create_app(runtime: Runtime | None = None, settings: Settings | None = None) -> Litestar:
    """Without `runtime` (the server), the lifespan builds one from `settings` (the environment's when None)
    and closes it at the end. With one, the app serves it and leaves its start and close to the caller (the
    tests own it, in their event loop)."""
    settings = runtime.settings if runtime is not None else settings or settings_from_env()
    api = Router(path="/api/v1", route_handlers=document_errors([
        CaseController, SearchController, me, match_cases, PlanController, export_cases, LessonController,
        ContextController]),
                 dependencies={"actor": Provide(api_actor)})
    pages = Router(path="/", route_handlers=[library.home, library.search_results, library.case_page,
                                             library.block_page, session.login_form,
                                             session.login, session.logout, library.case_history,
                                             *editor.PAGES, *admin.PAGES,
                                             *compare.PAGES, *picker.PAGES, *feeds.PAGES, *match.PAGES, *plans.PAGES,
                                             *lessons.PAGES, *review.PAGES],
                   dependencies={"actor": Provide(page_actor)}, include_in_schema=False)
    static = create_static_files_router(path="/static", directories=[FRONTEND_DIR / "static"],
                                        include_in_schema=False)
    return Litestar(
        route_handlers=[api, pages, static, healthz],
        middleware=[CookieBackendConfig(secret=settings.secret_key, key="casebook_session", secure=settings.tls,
                                        samesite="lax", httponly=True, max_age=14 * 24 * 3600).middleware],
        # Anchored: a case slug such as `api` or `schema-test` deeper in a path stays protected.
        csrf_config=CSRFConfig(secret=settings.secret_key.decode(), cookie_name="casebook_csrf",
                               exclude=["^/api/", "^/static/", "^/schema(/|$)", "^/healthz$"],
                               cookie_samesite="lax", cookie_secure=settings.tls),
        before_request=check_request,
        request_max_body_size=MAX_REQUEST_BYTES, multipart_form_part_limit=MAX_FORM_PARTS,
        before_send=[security_headers],
        template_config=TemplateConfig(directory=FRONTEND_DIR / "templates", engine=PageTemplates),
        openapi_config=OpenAPIConfig(title="Casebook API", version=__version__, path="/schema",
                                     render_plugins=[SwaggerRenderPlugin()]),
        exception_handlers={Exception: handle_error},
        dependencies={"runtime": Provide(provide_runtime)},
        state=State({"runtime": runtime} if runtime is not None else {}),
        lifespan=[serve_runtime(settings)] if runtime is None else [],
    )
