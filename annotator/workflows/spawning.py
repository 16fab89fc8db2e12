"""The start method for this program's worker processes: multiprocessing's *spawn*, without
running the ``annotator`` command's script again in every worker.

A spawned child first runs its parent's main script again (as ``__mp_main__``), so that the
functions defined there can be unpickled. When the parent is the ``annotator`` command, that
script is the wrapper pip writes for the entry point (``from annotator.cli import main``), and
running it again imports the whole command line: 0.3-0.45 s of every worker's start, spent
before the worker can load spaCy, for nothing, since every function a worker runs lives in an
annotator module. ``python -m annotator`` does not pay it: multiprocessing skips a main
module named ``….__main__``. So the wrapper is given that name too (``annotator.__main__``,
which is what ``python -m annotator`` runs).

Only that wrapper is renamed. Any other main script (a user's own program that imports
annotator, a benchmark, pytest) is left as it is: its children may need its functions. A
frozen bundle is left alone as well: PyInstaller starts its children its own way.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import sys
from types import ModuleType


def spawn_context() -> multiprocessing.context.BaseContext:
    """multiprocessing's spawn context, the ``annotator`` command's script marked as
    ``annotator.__main__`` first (see the module's docstring)."""
    main = sys.modules.get("__main__")
    if main is not None and is_command_wrapper(main) and not getattr(sys, "frozen", False):
        main.__spec__ = importlib.util.find_spec("annotator.__main__")
    return multiprocessing.get_context("spawn")


def is_command_wrapper(module: ModuleType) -> bool:
    """Whether ``module`` is the script pip writes for the ``annotator`` entry point: run as a
    file (no module name), its ``main`` the command group of ``annotator.cli``."""
    if getattr(module, "__spec__", None) is not None:
        return False
    callback = getattr(getattr(module, "main", None), "callback", None)
    return getattr(callback, "__module__", None) == "annotator.cli" and getattr(callback, "__qualname__", None) == "main"
