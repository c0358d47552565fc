"""An inline SVG bar chart of the context fields, template against target (no scripts, no fetches)."""

from __future__ import annotations

from html import escape
from typing import Any

from casebook.domain.vocabulary import CONTEXT_SCALES

WIDTH, LABEL_W, ROW_H, BAR_H = 680, 250, 36, 12
PLOT_W = WIDTH - LABEL_W - 90
COLORS = {"template": "#2f5d8a", "target": "#e08a2c"}


def _bar(y: float, field: str, value: Any, who: str) -> str:
    scale = CONTEXT_SCALES[field]
    if value not in scale:
        return (f'<text x="{LABEL_W + 4}" y="{y + BAR_H - 2}" class="na">{who}: not recorded</text>')
    width = PLOT_W * (scale.index(value) + 1) / len(scale)
    return (f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H}" fill="{COLORS[who]}"/>'
            f'<text x="{LABEL_W + width + 6:.1f}" y="{y + BAR_H - 2}">{escape(str(value))}</text>')


def context_chart(template: dict[str, Any], target: dict[str, Any]) -> str:
    tpl, tgt = template.get("context") or {}, target.get("context") or {}
    fields = list(CONTEXT_SCALES)
    height = 40 + ROW_H * len(fields)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="chart-title">',
             '<title id="chart-title">Context fields: template (blue) against target (orange); a longer bar '
             'is further along the field\'s scale</title>',
             '<style>text{font:11px sans-serif;fill:#222}.na{fill:#888;font-style:italic;font-size:10px}'
             '.lbl{font-weight:bold}</style>',
             f'<rect x="{LABEL_W}" y="6" width="10" height="10" fill="{COLORS["template"]}"/>'
             f'<text x="{LABEL_W + 14}" y="15">template</text>'
             f'<rect x="{LABEL_W + 90}" y="6" width="10" height="10" fill="{COLORS["target"]}"/>'
             f'<text x="{LABEL_W + 104}" y="15">target</text>']
    for i, field in enumerate(fields):
        y = 30 + ROW_H * i
        scale = " < ".join(CONTEXT_SCALES[field])
        parts.append(f'<text x="0" y="{y + 10}" class="lbl">{escape(field.replace("_", " "))}</text>'
                     f'<text x="0" y="{y + 24}" class="na">{escape(scale)}</text>')
        parts.append(_bar(y, field, tpl.get(field), "template"))
        parts.append(_bar(y + BAR_H + 2, field, tgt.get(field), "target"))
    parts.append("</svg>")
    return "".join(parts)
