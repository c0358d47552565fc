"""A plan as a Word document (python-docx): practitioners rework plans in Word with their partners.

The same content and order as the PDF (caveats and the first-meeting brief first), as editable headings,
lists and tables; links are absolute from the configured base URL. Citations are left out: the evidence
list at the end names each case and source once.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Pt

from casebook.planning.render_html import absolute, links_note
from casebook.planning.timing import by_owner
from casebook.planning.words import cap, day

BLOCK_DECISION = {"transfer as-is": "Transfer", "adapt": "Adapt", "rebuild": "Rebuild"}


def _table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.add_paragraph()


def _bullets(doc: Any, texts: list[str], numbered: bool = False) -> None:
    for text in texts:
        doc.add_paragraph(text, style="List Number" if numbered else "List Bullet")


def _box(line: dict[str, Any]) -> str:
    return "☑" if line.get("done") else "☐"


_cap = cap


def _link(url: str | None, sep: str = ": ") -> str:
    """', https://…' after a name when the site has a public address; nothing otherwise (see links_note)."""
    href = absolute(url)
    return f"{sep}{href}" if href else ""


def _case_item(e: dict[str, Any], with_source: bool = True) -> str:
    """A case, lesson, block or lesson record of the evidence: what it is, the case, the source it was drawn from
    (`with_source`: the first item of each case) and, for a case never carried out or never evaluated, a note."""
    if e["kind"] == "lesson-record":
        head = f"Lesson “{e['title']}”, {e['text']}"
    elif e["kind"] == "case":
        head = f"Case “{e['title']}”"
    else:
        what = "Building block" if e["kind"] == "block" else f"Lesson {e.get('number')}"
        head = f"{what} of “{e['title']}”" + (f": {e['text']}" if e.get("text") else "")
    cited = f" Source: {e['cited']}." if e.get("cited") and with_source else ""
    note = f" {e['status_note']}" if e.get("status_note") and with_source else ""
    return head.rstrip(".") + "." + cited + note + _link(e["url"], " ")


def render(plan: dict[str, Any]) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(plan["title"], level=0)
    tpl, tgt = plan["template"], plan["target"]
    doc.add_paragraph(f"Template case: {tpl['title']} ({tpl.get('country_name')})" + _link(tpl["url"]))
    where = ", ".join(x for x in (tgt.get("locality"), plan.get("target_country_name")) if x)
    doc.add_paragraph(f"Target site: {tgt['title']} ({where})")
    doc.add_paragraph(f"Fit: {_cap(plan['fit']['words'])}.")
    if plan.get("version"):
        doc.add_paragraph(f"Version {plan['version']}" + (f", {day(plan['updated_at'])}" if plan.get("updated_at")
                                                          else ""))
    if plan["caveats"]:
        doc.add_heading("Before you use this plan", level=1)
        _bullets(doc, plan["caveats"])
    brief = plan["brief"]
    doc.add_heading("First-meeting brief", level=1)
    if brief.get("fit_warning"):
        doc.add_paragraph(f"A weak template ({plan['fit']['words']}). Plan from a case that fits the target better, "
                          "or use this plan only as a checklist:")
        _bullets(doc, [f"“{b['title']}” ({b['country']}), {b['fit']}: {absolute(b['url'])}"
                       for b in brief.get("better_templates") or []])
    doc.add_heading("Why this template", level=2)
    doc.add_paragraph(brief["why"])
    doc.add_heading("The differences that matter most", level=2)
    _bullets(doc, brief["differences"] or ["No difference between template and target calls for adaptation."],
             numbered=True)
    doc.add_heading("Who to invite", level=2)
    _table(doc, ["Role", "Who"], [[_cap(r["role"]), (r["who"] + (": invite them by name." if r.get("named") else "")
                                                     if r["who"] else f"Nobody yet. Look for {r['look_for']}.")
                                   + (f" {r['note']}" if r.get("note") else "")
                                   + (f" {r['brought']}" if r.get("brought") else "")] for r in brief["invite"]])
    if brief.get("rules"):
        doc.add_heading("Rules for the meeting", level=2)
        _bullets(doc, [r["text"] for r in brief["rules"]], numbered=True)
    doc.add_heading("Decisions for the first meeting", level=2)
    _bullets(doc, brief["decisions"], numbered=True)
    doc.add_heading("First tasks", level=2)
    _table(doc, ["Task", "Owner", "When"], [[t["text"], _cap(t["owner"]), _cap(t["when"])]
                                            for t in brief["first_tasks"]])

    doc.add_heading("Your goals and what the library offers", level=1)
    for g in plan["goals"]:
        head = "The situation you described" if g["kind"] == "situation" else _cap(g["text"])
        doc.add_paragraph(f"{head}: {g['summary']}", style="List Bullet")
        for p in g["proposals"]:
            doc.add_paragraph(f"“{p['title']}”, as in “{p['case']}” ({p['country']})" + _link(p["url"]),
                              style="List Bullet 2")
    if not plan["goals"]:
        doc.add_paragraph("The target states no goals, challenges or summary.")

    doc.add_heading("Fit: template against target", level=1)
    _table(doc, ["What differs", "Template", "Target", "Work it produces"],
           [[_cap(d["label"]), d["template_text"], d["target_text"], "\n".join(d["work"])]
            for d in plan["fit"]["differences"]])

    doc.add_heading("Adaptation by scaling dimension", level=1)
    for dim, body in plan["dimensions"].items():
        doc.add_heading(f"{dim.capitalize()} dimension", level=2)
        if body["items"]:
            _bullets(doc, [f"{i['text']} (Why: {i['why']})" for i in body["items"]])
        else:
            doc.add_paragraph(body["none"])

    doc.add_heading("Work plan: the 12 MSP steps", level=1)
    for module in plan["steps"]:
        doc.add_heading(f"Module {module['module']}: {module['title']}", level=2)
        rows = []
        for step in module["steps"]:
            for t in step["tasks"]:
                rows.append([f"{_box(t)} {t['task']} {t['title']}", _cap(t["owner"]), _cap(t["when"])])
                rows += [[f"{_box(i)} {i['text']}" + (f" Note: {i['note']}" if i.get("note") else ""),
                          _cap(i["owner"]), _cap(i["when"])] for i in t["items"]]
        _table(doc, ["Task and work", "Owner", "When"], rows)

    doc.add_heading("Work plan by owner", level=1)
    for group in by_owner(plan):
        doc.add_heading(_cap(group["owner"]), level=2)
        _bullets(doc, [f"{line['title']} ({line['when']})" for line in group["lines"]])

    doc.add_heading("Building blocks", level=1)
    _table(doc, ["Building block", "Decision", "Reason"],
           [[b["title"], BLOCK_DECISION.get(b["status"], b["status"]), b["reason"]] for b in plan["building_blocks"]])
    if plan["proposed_blocks"]:
        doc.add_heading("Proposed from other cases", level=2)
        _table(doc, ["Building block", "From the case", "Why"],
               [[b["title"], f"{b['case']} ({b['country']})", b["reason"]] for b in plan["proposed_blocks"]])

    doc.add_heading("Partner map", level=1)
    _table(doc, ["Role", "In the template", "In the target", "Status"],
           [[_cap(r["role_label"]), "; ".join(f"{p['name']} ({p['type_label']})" for p in r["template"])
             or "Nobody in the template",
             "; ".join(f"{p['name']} ({p['type_label']})" for p in r["target"])
             or (f"Look for {r['look_for']}." if r.get("look_for") else ""),
             _cap(r["status"])] for r in plan["partner_map"]["rows"]])

    doc.add_heading("Risk register", level=1)
    _table(doc, ["Risk", "Level", "Reason", "Mitigation"],
           [[r["title"], _cap(r["level"]), r["reason"], r["mitigation"]] for r in plan["risks"]])

    doc.add_heading("Indicators", level=1)
    _table(doc, ["Indicator", "For the target"],
           [[i["indicator"], i["target_site"]] for i in plan["indicators"]["outcomes"]])
    _table(doc, ["Principle", "Question for joint monitoring"],
           [[m["title"], m["question"]] for m in plan["indicators"]["meta"]])

    doc.add_heading("Evidence", level=1)
    if note := links_note():
        doc.add_paragraph(note)
    cited: set[tuple[str, str]] = set()  # a case's source is printed with its first item only
    for e in plan["evidence"]:
        if e["kind"] == "source":
            doc.add_paragraph(f"{e['locator']}. {e['publisher']}, {e['document']}.", style="List Number")
        else:
            first = (e["tenant"], e["slug"]) not in cited
            cited.add((e["tenant"], e["slug"]))
            doc.add_paragraph(_case_item(e, first), style="List Number")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
