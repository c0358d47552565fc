"""The Jinja engine for the pages: Litestar's CSRF field marked safe in one place, and `can(...)` (the named
permissions of casebook.domain.permissions) as the only way a template decides what an actor may do."""

from __future__ import annotations

from typing import Any

from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from casebook.domain.permissions import can


class _CsrfSafeTemplate:
    """Litestar passes `csrf_input` as a plain string, which autoescaping would print as text."""

    def __init__(self, template: Any) -> None:
        self._template = template

    def render(self, *args: Any, **context: Any) -> str:
        if isinstance(context.get("csrf_input"), str):
            context["csrf_input"] = Markup(context["csrf_input"])
        return self._template.render(*args, **context)


class PageTemplates(JinjaTemplateEngine):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine.globals["can"] = can

    def get_template(self, template_name: str) -> Any:
        return _CsrfSafeTemplate(super().get_template(template_name))
