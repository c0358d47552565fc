"""The report's evidence annex: grouped by case, lesson records and source document, numbered straight through
so every [n] citation in the body finds entry n."""

from __future__ import annotations

import re

from casebook.planning import render_html
from casebook.planning.render_html import annex_groups
from tests.test_plan_rules import BOSNIA, COLOMBIA, plan_for


def test_annex_groups_are_runs_numbered_straight_through():
    plan = plan_for(BOSNIA, {"title": "Gold mine in Bong County", "country": "LR", "context": {"trust": "low"}},
                    [COLOMBIA])
    plan["evidence"].insert(1, {"id": "lesson-record:net/trust", "kind": "lesson-record", "tenant": "net",
                                "slug": "trust", "title": "Trust first", "text": "lesson learned by Net",
                                "url": "/lessons/net/trust"})
    groups = annex_groups(plan["evidence"])
    numbers = [n for g in groups for n, _ in g["entries"]]
    assert numbers == list(range(1, len(plan["evidence"]) + 1))
    kinds = [g["kind"] for g in groups]
    assert kinds[:3] == ["case", "lesson-record", "case"] and kinds[-1] == "source"
    assert groups[0]["url"] == "/cases/library/bosnia-zenica-steelworks" and groups[1]["url"] is None
    sources = [g for g in groups if g["kind"] == "source"]
    assert len({g["key"] for g in sources}) == len(sources)  # each document is one group here
    html = render_html.render(plan)
    cited = {int(n) for n in re.findall(r'href="#ev-(\d+)"', html)}
    anchors = {int(n) for n in re.findall(r'<li id="ev-(\d+)"><span class="n">\[\1\]</span>', html)}
    assert cited <= anchors and anchors == set(numbers)
    assert "Lessons learned</h3>" in html and "<strong>Trust first</strong>, lesson learned by Net" in html
    assert html.count('<colgroup>') == html.count('<table class="grid')  # fixed layout everywhere
    printed = render_html.render(plan, links=False)  # the PDF's HTML: the same citations, as plain text
    assert 'href="#ev-' not in printed
    assert re.findall(r'<span class="cite">([\[\]\d]+)</span>', printed) == [
        "".join(re.findall(r"\[\d+\]", c)) for c in re.findall(r'<span class="cite">(.*?)</span>', html)]


def test_ticked_and_open_tasks_print_as_checkboxes_in_the_pdf():
    from casebook.planning import render_pdf
    from casebook.planning.plan import apply_edits
    from tests.test_plan_pdf import pdf_text

    plan = plan_for(COLOMBIA, {"title": "X town", "country": "CO"})
    apply_edits(plan, {"task-1.1": {"done": True}})
    text = pdf_text(render_pdf.render(plan))
    assert text.count("☑") == 2 and text.count("☐") > 30  # the work plan, and again in the view by owner
    assert re.search(r"\[\d+\]", text.split("Work plan: the 12 MSP steps")[-1])  # citations, as plain [n]
