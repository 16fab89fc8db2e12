"""The formats' order does not depend on which format module someone imported first.

It decides the Import dialog's list, the export list and, for a suffix several formats share
(.jsonl: Prodigy or doccano), which reader sniffs the file first.
"""

from __future__ import annotations

import subprocess
import sys

_PRINT_ORDER = ("import importlib, sys\n"
                "for name in sys.argv[1:]: importlib.import_module('annotator.formats.' + name)\n"
                "from annotator.formats import registry\n"
                "print(registry.format_names()); print(registry.writer_names())\n")


def _order_after_importing(*modules: str) -> str:
    # A fresh interpreter: in this one the formats are long registered.
    done = subprocess.run([sys.executable, "-c", _PRINT_ORDER, *modules], capture_output=True, text=True,
                          check=True, timeout=120)
    return done.stdout


def test_importing_a_format_module_first_does_not_change_the_order():
    plain = _order_after_importing()
    assert "'prodigy', 'doccano'" in plain  # Prodigy sniffs a .jsonl before doccano
    assert _order_after_importing("doccano", "webanno", "csv_export", "html_page") == plain
    assert _order_after_importing("labelstudio_read", "brat") == plain
