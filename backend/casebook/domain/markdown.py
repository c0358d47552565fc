"""Markdown to safe HTML, for lesson bodies (and the Atom feed, which imports `render`).

Two layers, so one mistake is not enough for a script to get through: markdown-it-py runs with raw
HTML disabled (typed tags come out as text) and rejects unsafe link schemes, then nh3 (ammonia) keeps
only an explicit allow-list of tags, attributes and URL schemes, and adds rel="noopener noreferrer".
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
})
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
SAFE_STYLES = frozenset({"text-align"})  # markdown tables align columns with style="text-align: …"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default": CommonMark without raw HTML; tables and strikethrough as GitHub writes them; linkify
    # needs an extra package, so bare URLs stay text (autolinks in <…> still work). Images are off: a
    # lesson must not make readers' browsers fetch from elsewhere; `![alt](url)` shows as a link.
    return MarkdownIt("js-default").enable(["table", "strikethrough"]).disable("image")


def sanitise(html: str) -> str:
    """The allow-list alone: what survives whatever HTML the Markdown layer let through."""
    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer",
                     filter_style_properties=set(SAFE_STYLES), strip_comments=True)


def render(md: str) -> str:
    """Sanitised HTML for a Markdown text; safe to mark as Markup in a template."""
    return sanitise(_parser().render(md or ""))
