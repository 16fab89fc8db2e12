"""Small projects for the export workflow tests, made through the store like the window does."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.model import Label
from annotator.store import Project
from annotator.workflows.importing import ImportOptions, import_paths


def make_project(folder: Path, count: int = 12, *, statuses=("done",), annotator: str | None = None,
                 name: str = "p.annotator") -> Project:
    """``count`` documents with a person, a claim and a cue; status cycles through ``statuses``."""
    project = Project.create(folder / name)
    project.add_label(Label("TOPIC", "doc"))
    lines = []
    for i in range(count):
        text = f"Person{i} Smith said that prices rose by {i} percent in Paris."
        claim = (text.index("prices"), text.index(" in Paris"))
        spans = [{"start": 0, "end": text.index(" said"), "label": "PERSON"},
                 {"start": claim[0], "end": claim[1], "label": "CLAIM"},
                 {"start": text.index("Paris"), "end": text.index("Paris") + 5, "label": "GPE"}]
        lines.append(json.dumps({"text": text, "meta": {"title": f"Doc {i}"}, "spans": spans,
                                 "relations": [{"head_span": spans[1], "child_span": spans[0], "label": "SAID"}]}))
    source = folder / f"{name}.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_paths(project, [source], ImportOptions(annotator=annotator)).ok
    for i, row in enumerate(project.db.query("SELECT id FROM documents ORDER BY position")):
        status = statuses[i % len(statuses)]
        if status != "todo":
            project.set_status(row["id"], status)
    return project
