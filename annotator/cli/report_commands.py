"""The dashboard as files: ``annotator report``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, comma_names, fail, open_for_reading

FORMATS = ("html", "png", "svg")


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder for the report (made if missing; files of the same names are replaced).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True,
              help="html: one self-contained page (charts inline, their numbers beside them); png or svg: "
                   "a file per chart, with its numbers as CSV.")
@click.option("--annotators", metavar="A,B,...", help="Count only these annotators' work (default: everyone's).")
@click.option("--labels", metavar="L,...", help="Count only these labels (default: all).")
@click.option("--status", metavar="S,...", help="Only annotations in documents of these statuses (todo, done, skipped).")
@click.option("--since", metavar="YYYY-MM-DD", help="From this day (UTC) on: documents done, spans and claims made, "
                                                     "models trained.")
@click.option("--until", metavar="YYYY-MM-DD", help="Up to this day (UTC), included.")
@click.option("--no-agreement", is_flag=True, help="Leave out the agreement charts (they tokenize every document "
                                                   "two annotators finished: the slow part).")
def report(project: str, output: str, fmt: str, annotators: str | None, labels: str | None, status: str | None,
           since: str | None, until: str | None, no_agreement: bool) -> None:
    """Write the dashboard's charts (progress, labels, claims, claimants, agreement, models) to DIR.

    Runs without a display. Open DIR/report.html in any browser, offline.
    """
    from ..core.dashboard import DashboardFilter
    from ..launch import display_available
    from ..store import ProjectError
    from ..workflows.dashboard import DashboardError, check_filter, dashboard_charts
    from ..workflows.dashboard_agreement import agreement_charts, dashboard_agreement

    filters = DashboardFilter(comma_names(annotators, "--annotators"), comma_names(labels, "--labels"),
                              comma_names(status, "--status"), since, until)
    with open_for_reading(project) as opened:
        try:
            filters = check_filter(opened, filters)
            charts = dashboard_charts(opened, filters)
            if not no_agreement:
                charts += agreement_charts(dashboard_agreement(opened, filters))
        except DashboardError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
        name = opened.path.stem
    if not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from ..ui.charts.render import render_png, render_svg  # Qt, only now: after the platform is chosen
    from ..workflows.report_html import write_report

    folder = Path(output)
    try:
        if fmt == "html":
            written = [write_report(folder, name, charts, render_png(charts), filters)]
        else:
            folder.mkdir(parents=True, exist_ok=True)
            files = render_png(charts) if fmt == "png" else render_svg(charts)
            written = []
            for chart in charts:
                picture, table = folder / f"{chart.key}.{fmt}", folder / f"{chart.key}.csv"
                picture.write_bytes(files[chart.key])
                table.write_text(chart.csv(), encoding="utf-8", newline="")
                written += [picture, table]
    except OSError as exc:
        fail(f"error: {output}: cannot write: {exc.strerror or exc}", EXIT_INPUT)
    click.echo(f"wrote {len(charts)} charts to {written[0] if fmt == 'html' else folder} "
               f"({len(written)} file{'s' if len(written) != 1 else ''})")
