"""Where the shipped resources (schemes, samples, icons) live.

Installed from a wheel they sit inside the package (annotator/resources); in a source
checkout they are the top-level resources/ folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "schemes").is_dir():
            return candidate
    raise FileNotFoundError("annotator's resources folder is missing from this installation")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def default_scheme_path() -> Path:
    return resource("schemes", "default.toml")
