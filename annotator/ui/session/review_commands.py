"""Review decisions (ui/review) as commands on the session's undo stack.

The store plans and writes a decision in one transaction and returns a ``GoldChange``: the
document's gold rows before and after (store/gold.py). Undo puts the rows of before back,
redo those of after, under the same ids, so an edit made in gold after the decision (a
tagging key in review mode) still finds its span when it is undone in turn.
"""

from __future__ import annotations

from collections.abc import Callable

from ...store.gold import GoldChange, GoldSnapshot
from ...store.project import Project
from .commands import EditCommand
from .outcome import Outcome


class DecideCommand(EditCommand):
    """One decision (accept a version, the majority, reject, accept what is agreed, mark the
    document reviewed). ``decide`` calls the store once; its refusal (``EditRefused``: no
    majority there, nothing left to decide) keeps the command off the stack."""

    def __init__(self, project: Project, doc_id: int, text: str, decide: Callable[[], GoldChange]):
        super().__init__(project, doc_id, text)
        self._decide = decide
        self.change: GoldChange | None = None

    def _redo(self) -> Outcome:
        if self.change is None:
            self.change = self._decide()
        else:
            self.project.restore_gold(self.change.after)
        return self._shown(self.change.after)

    def _undo(self) -> Outcome:
        assert self.change is not None  # an undo follows a redo that went through
        self.project.restore_gold(self.change.before)
        return self._shown(self.change.before)

    def _shown(self, snapshot: GoldSnapshot) -> Outcome:
        # The gold layer of the document changed as a whole: show it again from the file.
        return Outcome(self.doc_id, reload=True, status=gold_status(snapshot))


def gold_status(snapshot: GoldSnapshot) -> str:
    """Gold's status of the snapshot's document: done (reviewed) or todo."""
    rows = next((rows for table, rows in snapshot.rows if table == "document_status"), ())
    return next((str(row["status"]) for row in rows), "todo")
