"""Review: ``annotator review`` (what agrees goes to gold; how far review is)."""

from __future__ import annotations

import getpass
import json

import click

from ..store import ProjectError
from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, comma_names, fail, open_for_reading, open_for_writing, progress_line, wait_option

STATE_WORDS = {"conflict": "conflicts", "missing": "some annotators lack", "agreed": "all agree, not copied"}


def _documents(value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        ids = tuple(int(part) for part in value.split(","))
    except ValueError:
        fail(f"error: --documents: {value!r} is not a list of document ids (e.g. 12,13,40)", EXIT_INPUT)
        raise
    return ids


def _reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--auto", "mode", type=click.Choice(["unanimous", "majority"]),
              help="Copy into gold every unit all annotators (unanimous) or more than half of them (majority) "
                   "agree on exactly, in documents not reviewed yet. Without --auto: how far review is.")
@click.option("--min-annotators", type=click.IntRange(min=1), default=2, show_default=True,
              help="At least this many annotators must agree on a unit.")
@click.option("--annotators", metavar="A,B,...", help="The annotators to compare (default: all with a layer).")
@click.option("--documents", metavar="ID,ID,...", help="Only these documents (ids as in annotator stats --json).")
@click.option("--redo", is_flag=True, help="Start reviewed documents over: their gold is deleted first (needs --yes).")
@click.option("--yes", is_flag=True, help="Confirm --redo.")
@click.option("--mark-reviewed", is_flag=True, help="Mark reviewed the documents where nothing is left undecided.")
@click.option("--reviewer", metavar="NAME", help="Who decided, for the provenance of gold (default: your login name).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@wait_option
def review(project: str, mode: str | None, min_annotators: int, annotators: str | None, documents: str | None,
           redo: bool, yes: bool, mark_reviewed: bool, reviewer: str | None, as_json: bool, wait: float | None) -> None:
    """Review (adjudication) of PROJECT into its gold layer; see docs/review.md."""
    from ..workflows.reviewing import AutoReviewOptions, ReviewError, auto_review, review_progress

    names, ids = comma_names(annotators, "--annotators"), _documents(documents)
    if mode is None:
        if redo or mark_reviewed:
            fail("error: --redo and --mark-reviewed go with --auto", EXIT_INPUT)
        with open_for_reading(project) as opened:
            try:
                progress = review_progress(opened, names)
            except ReviewError as exc:
                fail(f"error: {exc}", EXIT_INPUT)
            except ProjectError as exc:
                fail(f"error: {exc}", EXIT_PROJECT)
        if as_json:
            click.echo(json.dumps({"documents": progress.documents, "reviewed": progress.reviewed,
                                   "units": progress.units, "decided": progress.decided,
                                   "states": dict(progress.by_state),
                                   "needs_review": len(progress.needs_review)}, indent=2))
        else:
            click.echo(f"{project}: {progress.text}; {len(progress.needs_review):,} documents need review")
        return
    options = AutoReviewOptions(mode, min_annotators, names, ids, redo, mark_reviewed, reviewer or _reviewer())
    report, clear = progress_line()
    with open_for_writing(project, "review", wait=wait) as opened:
        if redo and not yes:
            count = _reviewed_count(opened, ids)
            fail(f"error: --redo would delete the gold of {count:,} reviewed document(s) and review them again; "
                 "add --yes to do it", EXIT_INPUT)
        try:
            result = auto_review(opened, options, report)
        except ReviewError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
        finally:
            clear()
    if as_json:
        click.echo(json.dumps({
            "mode": mode, "min_annotators": min_annotators, "reviewer": options.reviewer,
            "documents": result.documents, "reviewed_skipped": result.reviewed_skipped, "redone": result.redone,
            "decided": dict(result.units), "spans": result.spans, "claims": result.claims,
            "decided_before": result.decided_before, "left": result.left, "left_documents": result.left_documents,
            "left_by_state": dict(result.left_by_state), "marked_reviewed": result.marked_reviewed,
            "notes": result.notes, "seconds": round(result.seconds, 2)}, indent=2, ensure_ascii=False))
        return
    for note in result.notes[:20]:
        click.echo(f"note: {note}", err=True)
    if len(result.notes) > 20:
        click.echo(f"note: ... and {len(result.notes) - 20:,} more", err=True)
    click.echo(_summary(project, mode, min_annotators, options.reviewer, result))


def _reviewed_count(opened, ids) -> int:
    gold = opened.gold_annotator()
    if gold is None:
        return 0
    wanted = None if ids is None else set(ids)
    return sum(1 for doc_id in opened.reviewed_document_ids() if wanted is None or doc_id in wanted)


def _summary(project: str, mode: str, minimum: int, reviewer: str, result) -> str:
    agree = "all annotators agree" if mode == "unanimous" else "more than half of the annotators agree"
    lines = [f"{project}: review --auto {mode} ({agree}, at least {minimum}; decided by {reviewer})",
             f"  {result.documents:,} documents compared"
             + (f"; {result.reviewed_skipped:,} reviewed documents left as they are" if result.reviewed_skipped else "")
             + (f"; {result.redone:,} reviewed documents started over" if result.redone else "")]
    if result.decided:
        words = {"entity": "entity units", "claim": "claims", "role": "role units", "doc": "document labels"}
        parts = [f"{result.units[group]:,} {words[group]}" for group in words if result.units.get(group)]
        lines.append(f"  to gold: {', '.join(parts)} ({result.spans:,} spans)")
    else:
        lines.append("  to gold: nothing new" + (f" ({result.decided_before:,} units were decided before)"
                                                  if result.decided_before else ""))
    if result.left:
        states = ", ".join(f"{n:,} {STATE_WORDS.get(state, state)}" for state, n in result.left_by_state.most_common())
        lines.append(f"  left for a person: {result.left:,} units in {result.left_documents:,} documents ({states})")
    else:
        lines.append("  left for a person: nothing")
    if result.marked_reviewed:
        lines.append(f"  marked reviewed: {result.marked_reviewed:,} documents")
    return "\n".join(lines)
