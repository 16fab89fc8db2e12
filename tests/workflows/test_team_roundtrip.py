"""Split, work, merge: every layer comes back exactly, merging again changes nothing, an
updated copy updates its own layer only (random edits by random annotators on random documents)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.store import Project
from annotator.workflows.merging import merge_projects
from annotator.workflows.splitting import SplitOptions, split_project

from team_projects import layer_dump, make_lead, project_dump, random_edits


EMPTY = {"spans": [], "claims": [], "relations": [], "doc_labels": [], "status": "todo"}


def _merge_all(lead: Project, paths) -> None:
    result = merge_projects(lead, paths)
    assert result.ok, result.errors


def _hashes(project: Project) -> set[str]:
    return {r["content_hash"] for r in project.db.query("SELECT content_hash FROM documents")}


def _check_layers_came_back(lead: Project, copies) -> None:
    """Each layer in each copy is, on the copy's documents, exactly that layer in the lead."""
    for path in copies:
        with Project.open(path) as copy:
            hashes = _hashes(copy)
            for person in copy.annotator_list():
                theirs = layer_dump(copy, person.uuid)
                if lead.known_annotator(person.uuid) is None:  # named in the copy, nothing made: no layer
                    assert all(layer == EMPTY for layer in theirs.values()), (path.name, person)
                    continue
                assert layer_dump(lead, person.uuid, hashes) == theirs, (path.name, person)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), people=st.integers(2, 3), overlap=st.sampled_from([0.0, 0.25, 0.5]),
       per_doc=st.integers(1, 2))
def test_team_roundtrip_split_edit_merge_gives_back_every_layer(tmp_path_factory, seed, people, overlap, per_doc):
    folder = tmp_path_factory.mktemp("team")
    rng = random.Random(seed)
    names = ["alice", "bob", "carol"][:people]
    with make_lead(folder, 8, annotator="alice") as lead:  # alice has work (spans, relations) before the split
        split = split_project(lead, folder / "out", SplitOptions(tuple(names), overlap=overlap,
                                                                 per_doc=min(per_doc, people), seed=seed))
        copies = [f.path for f in split.files]
        # Round one: everyone works in their own copy; now and then a guest edits a copy too.
        for path in copies:
            with Project.open(path) as copy:
                me = copy.editing_annotator(None)
                random_edits(copy, me, rng, rng.randint(5, 20))
                if rng.random() < 0.3:
                    random_edits(copy, "zoe", rng, 4)
        _merge_all(lead, copies)
        _check_layers_came_back(lead, copies)
        after_first = project_dump(lead)
        # Merging the same files again adds nothing and says so.
        again = merge_projects(lead, copies)
        assert all(summary.nothing_new for summary in again.summaries), [s.counts for s in again.summaries]
        assert project_dump(lead) == after_first
        # Round two: some annotators change (and delete) things; only their layers change.
        changed = rng.sample(copies, rng.randint(1, len(copies)))
        for path in changed:
            with Project.open(path) as copy:
                random_edits(copy, copy.editing_annotator(None), rng, rng.randint(5, 20))
        _merge_all(lead, changed)
        _check_layers_came_back(lead, copies)
        now = project_dump(lead)
        changed_people = set()
        for path in changed:
            with Project.open(path) as copy:
                changed_people.update(a.uuid for a in copy.annotator_list())
        for uuid, layer in after_first["layers"].items():
            if uuid not in changed_people:
                assert now["layers"][uuid] == layer, uuid
        assert now["unattributed"] == after_first["unattributed"]
