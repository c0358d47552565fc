"""Lesson documents for tests, and the XSS payloads every rendering of a lesson body must neutralise."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from typing import Any

from casebook.domain.markdown import TAGS


def make_lesson(slug: str, **overrides: Any) -> dict[str, Any]:
    """A small valid lesson; the content is test data, not a real lesson."""
    data: dict[str, Any] = {
        "slug": slug, "title": f"Lesson {slug}",
        "body": f"Build **trust** first in {slug}.\n\n- talk\n- listen\n\n[guidelines](https://example.org/msp)",
        "tags": ["trust", "dialogue"], "msp_steps": [3], "dimensions": ["conceptual"],
    }
    data.update(copy.deepcopy(overrides))
    return data


# Known payloads (OWASP XSS filter evasion cheat sheet and friends), in Markdown and raw HTML.
XSS_PAYLOADS = (
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=alert('xss-img')>",
    "<iframe src=\"javascript:alert('xss-iframe')\"></iframe>",
    "<svg onload=alert('xss-svg')><circle r=1></circle></svg>",
    "<a href=\"javascript:alert('xss-a')\">raw link</a>",
    "<p style=\"width: expression(alert('xss-style'))\">styled</p>",
    "<div style=\"background:url(javascript:alert('xss-bg'))\">bg</div>",
    "[md link](javascript:alert('xss-md'))",
    "[mixed case](JaVaScRiPt:alert('xss-case'))",
    "[entity](&#106;avascript:alert('xss-entity'))",
    "[hex entity](&#x6A;avascript:alert('xss-hex'))",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLWRhdGEnKTwvc2NyaXB0Pg==)",
    "[vbscript](vbscript:msgbox('xss-vb'))",
    "<javascript:alert('xss-autolink')>",
    "<data:text/html,<script>alert('xss-autodata')</script>>",
    "![img](x\" onerror=\"alert('xss-imgmd'))",
    "[spaced](  javascript:alert('xss-space'))",
    "<https://example.org/ok>",
)
XSS_BODY = "# Payloads\n\n" + "\n\n".join(XSS_PAYLOADS)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v or "") for k, v in attrs)


def unsafe_parts(html: str) -> list[str]:
    """What in an HTML fragment could run script: unknown tags, event handlers, non-http(s)/mailto links."""
    found = _Collect()
    found.feed(html)
    bad = [f"tag <{t}>" for t in found.tags if t not in TAGS]
    for tag, name, value in found.attrs:
        if name.startswith("on") or name in ("src", "srcdoc", "formaction"):
            bad.append(f"{tag} {name}={value!r}")
        elif name == "href" and ":" in value.split("/")[0] and not value.startswith(("http:", "https:", "mailto:")):
            bad.append(f"{tag} href={value!r}")
        elif name == "style" and ("expression" in value or "url(" in value):
            bad.append(f"{tag} style={value!r}")
    return bad
