"""The dashboard as one self-contained HTML page: each chart as a PNG inline (base64) with its
numbers in a table beside it, readable offline and in any browser, for people who do not run
the program. Every text from the project (titles, labels, names) is escaped: an annotator
called ``<script>`` shows those characters.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..core.dashboard import Chart, DashboardFilter

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1500px;
       padding: 0 16px; color: #1b1b1b; background: #fafafa; }
h1 { font-size: 24px; margin: 0 0 4px; } .meta { color: #555; margin: 0 0 20px; }
section { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; background: #fff;
          border: 1px solid #ddd; border-radius: 6px; padding: 12px; margin: 0 0 18px; }
section img { max-width: 100%; height: auto; flex: 0 1 880px; }
.data { flex: 1 1 320px; max-height: 460px; overflow: auto; }
.data h2 { font-size: 15px; margin: 0 0 2px; } .data p { margin: 0 0 8px; color: #444; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 2px 8px; text-align: left; white-space: nowrap; }
td.n { text-align: right; } th { position: sticky; top: 0; background: #f2f2f2; }
"""


def _cell(value: object) -> str:
    if value is None:
        return '<td class="n">—</td>'
    if isinstance(value, bool):
        return f"<td>{value}</td>"
    if isinstance(value, int):
        return f'<td class="n">{value:,}</td>'
    if isinstance(value, float):
        return f'<td class="n">{value:,.4g}</td>' if abs(value) < 1000 else f'<td class="n">{value:,.1f}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def table_html(chart: Chart) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in chart.header)
    body = "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in chart.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def describe_filter(filters: DashboardFilter) -> str:
    parts = []
    if filters.annotators is not None:
        parts.append("annotators: " + ", ".join(a or "(no annotator)" for a in filters.annotators))
    if filters.labels is not None:
        parts.append("labels: " + ", ".join(filters.labels))
    if filters.statuses is not None:
        parts.append("document status: " + ", ".join(filters.statuses))
    if filters.since or filters.until:
        parts.append(f"dates: {filters.since or 'the start'} to {filters.until or 'today'}")
    return "; ".join(parts) or "everything (no filter)"


def report_html(project_name: str, charts: Sequence[Chart], pictures: Mapping[str, bytes],
                filters: DashboardFilter = DashboardFilter(), made: dt.datetime | None = None) -> str:
    """The page; ``pictures`` maps each chart's key to its PNG."""
    made = made or dt.datetime.now(dt.timezone.utc)
    sections = []
    for chart in charts:
        picture = pictures.get(chart.key)
        image = (f'<img alt="{html.escape(chart.title)}" width="880" src="data:image/png;base64,'
                 f'{base64.b64encode(picture).decode("ascii")}">' if picture else "")
        note = f"<p>{html.escape(chart.note)}</p>" if chart.note else ""
        rows = f"{len(chart.rows):,} row{'s' if len(chart.rows) != 1 else ''}"
        sections.append(f'<section id="{html.escape(chart.key)}">{image}<div class="data">'
                        f"<h2>{html.escape(chart.title)}</h2>{note}<p>Data ({rows}):</p>{table_html(chart)}</div></section>")
    title = f"{project_name}: dashboard"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head><body>\n'
            f"<h1>{html.escape(title)}</h1><p class=\"meta\">Made by annotator on "
            f"{made.strftime('%Y-%m-%d %H:%M')} UTC. Filter: {html.escape(describe_filter(filters))}. "
            "Days are UTC days.</p>\n" + "\n".join(sections) + "\n</body></html>\n")


def write_report(folder: str | Path, project_name: str, charts: Sequence[Chart], pictures: Mapping[str, bytes],
                 filters: DashboardFilter = DashboardFilter()) -> Path:
    """``folder``/report.html (the folder is made if missing). OSError when it cannot write."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.html"
    path.write_text(report_html(project_name, charts, pictures, filters), encoding="utf-8")
    return path
