"""The PDF report: a real PDF with the expected sections, rendered without fetching anything remote."""

from __future__ import annotations

import dataclasses
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from casebook.planning import render_html, render_pdf
from casebook.planning.render_pdf import STATIC_DIR, RefusedURL, StaticOnlyFetcher, html_to_pdf
from tests.conftest import RUNTIME
from tests.test_plan_rules import BOSNIA, COLOMBIA, plan_for

HEADINGS = ["Replication plan", "Contents", "Fit: template against target", "Adaptation by scaling dimension",
            "Social dimension", "Physical dimension", "Political dimension", "Conceptual dimension",
            "Work plan: the 12 MSP steps", "Module A: Initiation", "Module E: Reinvent or sustain",
            "Building blocks", "Partner map", "Risk register", "Indicators", "Evidence annex"]


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    target = {"title": "Gold mine in Bong County", "country": "LR", "context": {"trust": "low"},
              "population_groups": ["women"]}
    with pytest.MonkeyPatch.context() as patch:  # a public base URL, so the report links to the cases
        patch.setattr(RUNTIME, "settings", dataclasses.replace(RUNTIME.settings, base_url="https://casebook.example.org"))
        return render_pdf.render(plan_for(BOSNIA, target, [COLOMBIA]))


def test_pdf_is_a_real_report(pdf):
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for heading in HEADINGS:
        assert heading in text, heading
    pages = text.split("\f")
    assert len(pages) > 10
    assert "Page 2 of" in pages[1]  # page numbers from @page, not on the title page
    assert "Page 1 of" not in pages[0]
    assert "Map the needs, vulnerabilities and capacities of women" in text
    assert "/cases/library/bosnia-zenica-steelworks#lesson-" in text


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.png", "https://example.org/a.css", "ftp://example.org/x", "data:text/css,body{}",
    "file:///etc/passwd", f"{STATIC_DIR.as_uri()}/../templates/base.html", "file://evil.example/static/css/app.css",
])
def test_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_the_print_stylesheet():
    response = StaticOnlyFetcher().fetch(f"{STATIC_DIR.as_uri()}/css/plan-print.css")
    assert b"@page" in response.read()


def test_rendering_never_contacts_a_remote_server():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        html = (f'<html><head><link rel="stylesheet" href="{base}/s.css"><style>@import url("{base}/i.css");'
                f'body{{background:url("{base}/bg.png")}}</style></head><body><img src="{base}/i.png">'
                f'<p>Remote</p></body></html>')
        assert html_to_pdf(html).startswith(b"%PDF-")
    finally:
        server.shutdown()
    assert hits == []


def test_html_export_is_standalone():
    html = render_html.render(plan_for(COLOMBIA, {"title": "X town", "country": "CO"}), standalone=True)
    assert "<link" not in html and "@page" in html
    assert 'id="dim-conceptual"' in html
