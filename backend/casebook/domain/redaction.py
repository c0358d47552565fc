"""Redaction: what of a case is shown to readers outside its owner organisation.

A case lists the top-level keys that are sensitive (e.g. a locality that puts people at risk), and
partners can be marked sensitive (e.g. named community members). Outside the owner those are left
out: in API reads, exports and search documents alike.

The identifying keys (NEVER_SENSITIVE) name the record everywhere it is listed, so a case file may not
mark them sensitive (casebook.domain.casefile refuses it). A snapshot stored before that rule may still
hide them: the slug then stands in for the title, so every reader finds one.
"""

from __future__ import annotations

from typing import Any

NEVER_SENSITIVE = ("slug", "title", "country", "status", "sensitive")


def redact(data: dict[str, Any]) -> dict[str, Any]:
    hidden = set(data.get("sensitive") or []) - {"slug", "sensitive"}
    if not hidden and not any(p.get("sensitive") for p in data.get("partners") or []):
        return data
    out = {k: v for k, v in data.items() if k not in hidden}
    if "partners" in out:
        out["partners"] = [p for p in out["partners"] or [] if not p.get("sensitive")]
    if "title" in hidden and "slug" in data:
        out["title"] = data["slug"]
    return out
