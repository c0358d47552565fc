"""A plan as a document to download or write to a file: standalone HTML, PDF or Word.

One place that picks the renderer (casebook.planning), for the API's and pages' downloads
(services.plans.render, which reads the saved plan and reports a failure) and for `casebook plan`,
which writes a plan it has just generated.
"""

from __future__ import annotations

from typing import Any


def document(plan: dict[str, Any], fmt: str) -> bytes | str:
    """`fmt` "html" (a standalone page, text), "docx" or "pdf" (bytes). Blocking: PDF and Word take a while."""
    from casebook.planning import render_docx, render_html, render_pdf
    if fmt == "html":
        return render_html.render(plan, standalone=True)
    if fmt == "docx":
        return render_docx.render(plan)
    return render_pdf.render(plan)
