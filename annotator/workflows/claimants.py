"""Claim figures and claimant merging for the command line (``annotator stats``, ``annotator
claimants``): plain functions over the store, so the click layer stays thin."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.model import ClaimantGroup
from ..core.problems import InputError, Problem
from ..store import Project


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def claim_stats_lines(details: dict[str, Any]) -> list[str]:
    """The claim part of ``annotator stats`` (``Project.stats()["claim_details"]``), indented."""
    if not details["total"]:
        return []
    lines = ["  by label: " + ", ".join(f"{name} {n}" for name, n in details["by_label"].items())]
    claimant = details["claimant"]
    lines.append(f"  claimant: {claimant['span']} in the text, {claimant['text']} free text, {claimant['none']} none"
                 f" · cue: {details['cue']}")
    if details["missing_required"]:
        lines.append(f"  missing a required attribute: {details['missing_required']}")
    for attribute in details["attributes"].values():
        title = attribute["title"] + (" (required)" if attribute["required"] else "")
        if attribute["kind"] == "choice":
            values = ", ".join(f"{value} {n}" for value, n in attribute["values"].items())
            lines.append(f"  {title}: {values} ({attribute['unset']} not set)")
        else:
            lines.append(f"  {title}: {attribute['set']} written ({attribute['unset']} empty)")
    return lines


def claimant_report(project: Project) -> dict[str, Any]:
    """Claimants after merging, for ``annotator claimants --json``."""
    return {
        "claimants": [
            {"canonical": g.canonical, "claims": g.claims, "documents": g.documents,
             "names": [{"name": n.name, "claims": n.claims, "documents": n.documents} for n in g.names]}
            for g in project.claimant_groups()
        ],
        "aliases": dict(sorted(project.claimant_aliases().items())),
    }


def claimant_lines(groups: Sequence[ClaimantGroup]) -> list[str]:
    if not groups:
        return ["no claim has a claimant yet"]
    width = min(40, max(len(g.canonical) for g in groups))
    lines = []
    for group in groups:
        line = f"{group.canonical:<{width}}  {_plural(group.claims, 'claim'):>10} in {_plural(group.documents, 'document')}"
        merged = [n for n in group.names if n.name != group.canonical]
        if merged:
            line += "   = " + ", ".join(f"{n.name} ({n.claims})" for n in merged)
        lines.append(line)
    return lines


def change_claimants(project: Project, merge: Sequence[str], into: str | None, unmerge: Sequence[str]) -> list[str]:
    """Merge names into a canonical name and/or unmerge names; returns what was done.

    Raises ``InputError`` for a name no claim uses (a typo would otherwise make an alias of
    nothing) or a merge without ``into``.
    """
    problems = []
    used = {c.name for c in project.claimant_counts()}
    aliases = project.claimant_aliases()
    known = used | set(aliases) | set(aliases.values())
    if merge and not (into and into.strip()):
        problems.append(Problem("--into", None, None, "--merge needs --into CANONICAL, the name to merge into"))
    if into and not merge:
        problems.append(Problem("--into", None, None, "--into goes with --merge NAME"))
    for name in merge:
        if name not in known:
            problems.append(Problem("--merge", None, None, f"no claimant is called {name!r}"))
    for name in unmerge:
        if name not in aliases and name not in aliases.values():
            problems.append(Problem("--unmerge", None, None, f"{name!r} is not merged with any other name"))
    if problems:
        raise InputError(problems)
    done = []
    if merge:
        assert into is not None
        project.merge_claimants(merge, into.strip())
        done.append(f"merged {', '.join(merge)} into {into.strip()}")
    if unmerge:
        changed = project.unmerge_claimants(unmerge)
        done.append(f"unmerged {', '.join(sorted(changed))}")
    return done
