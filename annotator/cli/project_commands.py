"""Commands about the project itself: open, new, stats, claimants, labels."""

from __future__ import annotations

import json
import sys

import click

from ..core.model import Label
from ..core.problems import InputError
from ..core.scheme import COLOR_RE, load_scheme_file
from ..store import LabelInUse, Project, ProjectError
from ..workflows.claimants import claim_stats_lines
from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, fail, open_for_reading, open_for_writing, wait_option


@main.command("open")
@click.argument("project", required=False, type=click.Path(dir_okay=False))
def open_project(project: str | None) -> None:
    """Open PROJECT in the window (default: the sample project, created on first run)."""
    from ..launch import launch_gui

    sys.exit(launch_gui(project))


@main.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--scheme", type=click.Path(exists=True, dir_okay=False), help="Label scheme (.toml or .json).")
def new(project: str, scheme: str | None) -> None:
    """Create an empty PROJECT, with the default label scheme or --scheme FILE."""
    try:
        parsed = load_scheme_file(scheme) if scheme else None
    except InputError as exc:
        fail(f"error: the scheme was refused:\n{exc}", EXIT_INPUT)
    try:
        Project.create(project, parsed).close()
    except ProjectError as exc:
        fail(f"error: {exc}", EXIT_PROJECT)
    click.echo(f"created {project}")



@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def stats(project: str, as_json: bool) -> None:
    """Documents by status, spans per label, claims and annotators."""
    # No integrity check (PRAGMA quick_check reads every page: 2-3 s warm, 17 s cold at 100,000
    # documents) when the file is not known sound (copied, open in a window, after a crash):
    # the figures come from a few indexes and a read changes nothing; a damaged page among the
    # ones read is still SQLITE_CORRUPT, reported as damage (exit 3). A migration still checks.
    with open_for_reading(project, check=False) as opened:
        try:
            data = opened.stats()
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    docs = data["documents"]
    click.echo(f"{data['project']}")
    click.echo(f"documents: {docs['total']} ({docs['done']} done, {docs['todo']} todo, {docs['skipped']} skipped)")
    click.echo("spans (accepted / suggested / rejected):")
    width = max((len(name) for name in data["spans"]), default=5)
    for name, counts in data["spans"].items():
        click.echo(f"  {name:<{width}}  {counts['kind']:<6}  {counts['accepted']:>7} / {counts['suggested']} "
                   f"/ {counts['rejected']}")
    click.echo(f"claims: {data['claims']}")
    for line in claim_stats_lines(data["claim_details"]):
        click.echo(line)
    click.echo(f"relations: {data['relations']}")
    click.echo("annotators: " + (", ".join(f"{n} ({c} spans)" for n, c in data["annotators"].items()) or "none"))


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--merge", multiple=True, metavar="NAME", help="A claimant name to merge (repeat for more).")
@click.option("--into", default=None, metavar="CANONICAL", help="With --merge: the name they become.")
@click.option("--unmerge", multiple=True, metavar="NAME",
              help="Make an alias its own claimant again; a canonical name lets go of all its aliases.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@wait_option
def claimants(project: str, merge: tuple[str, ...], into: str | None, unmerge: tuple[str, ...],
              as_json: bool, wait: float | None) -> None:
    """Claimants with their claim and document counts; merge names of one source into one."""
    from ..workflows.claimants import change_claimants, claimant_lines, claimant_report

    changing = bool(merge or unmerge or into)
    with (open_for_writing(project, "claimants", wait=wait) if changing else open_for_reading(project)) as opened:
        try:
            done = change_claimants(opened, merge, into, unmerge) if merge or unmerge or into else []
        except InputError as exc:
            fail(f"error: {exc}", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_PROJECT)
        for line in done:
            click.echo(line, err=as_json)
        if as_json:
            click.echo(json.dumps(claimant_report(opened), indent=2, ensure_ascii=False))
        else:
            for line in claimant_lines(opened.claimant_groups()):
                click.echo(line)


@main.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--add", "add_name", metavar="NAME", help="Add a label.")
@click.option("--kind", type=click.Choice(["entity", "claim", "doc"]), default="entity", show_default=True)
@click.option("--key", default=None, help="Shortcut key: a digit or letter, or shift+DIGIT.")
@click.option("--color", default=None, help="Colour as #rrggbb.")
@click.option("--description", default=None)
@click.option("--rename", nargs=2, metavar="OLD NEW", help="Rename a label; its spans follow.")
@click.option("--remove", "remove_name", metavar="NAME", help="Remove a label (refused while in use).")
@click.option("--force", is_flag=True, help="With --remove: also delete the spans that use it.")
@wait_option
def labels(project: str, add_name: str | None, kind: str, key: str | None, color: str | None,
           description: str | None, rename: tuple[str, str] | None, remove_name: str | None, force: bool,
           wait: float | None) -> None:
    """List the label scheme, or change it with --add, --rename or --remove."""
    if color is not None and not COLOR_RE.match(color):
        fail(f"error: --color {color!r} must look like #rrggbb", EXIT_INPUT)
    changing = bool(add_name or rename or remove_name)
    with (open_for_writing(project, "labels", wait=wait) if changing else open_for_reading(project)) as opened:
        try:
            if add_name:
                label = opened.add_label(Label(add_name, kind, color or Label.color, key, description or ""))
                click.echo(f"added {label.name} ({label.kind}, {label.color}, key {label.key or '-'})")
            elif rename:
                opened.rename_label(*rename)
                click.echo(f"renamed {rename[0]} to {rename[1]}")
            elif remove_name:
                removed = opened.remove_label(remove_name, force=force)
                click.echo(f"removed {remove_name}" + (f" and {removed} annotation(s) using it" if removed else ""))
            elif color or key or description is not None:
                fail("error: --color/--key/--description go with --add", EXIT_INPUT)
            else:
                _print_labels(opened)
        except LabelInUse as exc:
            fail(f"error: {exc}; use --force to remove it and them", EXIT_INPUT)
        except ProjectError as exc:
            fail(f"error: {exc}", EXIT_INPUT)


def _print_labels(project: Project) -> None:
    usage = {name: sum(c[k] for k in ("accepted", "suggested", "rejected"))
             for name, c in project.stats()["spans"].items()}
    rows = project.labels()
    width = max((len(lab.name) for lab in rows), default=5)
    for lab in rows:
        click.echo(f"{lab.name:<{width}}  {lab.kind:<6}  {lab.color}  key {lab.key or '-':<7}  "
                   f"{usage.get(lab.name, 0):>7} spans  {lab.description}")
    attributes = project.claim_attributes()
    if attributes:
        click.echo("claim attributes:")
        for attr in attributes:
            choices = " / ".join(attr.choices) if attr.kind == "choice" else "free text"
            click.echo(f"  {attr.name} (key {attr.key or '-'}{', required' if attr.required else ''}): {choices}")
