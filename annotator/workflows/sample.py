"""The sample project a first start opens: the articles in resources/samples."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

from ..core.resources import resource
from ..store import Project
from .importing import ImportOptions, import_paths

SAMPLE_NAME = "sample.annotator"


def default_sample_path() -> Path:
    return Path(platformdirs.user_data_dir("annotator", appauthor=False)) / SAMPLE_NAME


def ensure_sample_project(path: Path | None = None) -> Path:
    """Create the sample project at ``path`` unless it exists; returns its path.

    Built under a temporary name and moved into place, so a failed or interrupted first
    start never leaves an empty or half-filled sample that later starts would open.
    """
    path = Path(path) if path is not None else default_sample_path()
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    _remove(partial)
    try:
        with Project.create(partial) as project:
            report = import_paths(project, [resource("samples", "articles.jsonl")],
                                  ImportOptions(format="prodigy", annotator="sample"))
            if not report.ok:  # our own file: a failure here is a bug, say so loudly
                raise RuntimeError("the bundled sample articles were refused: " + report.summary())
        os.replace(partial, path)
    finally:
        _remove(partial)
    return path


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()
