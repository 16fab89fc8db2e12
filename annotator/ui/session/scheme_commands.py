"""Label scheme edits and project preferences as undoable commands.

Edit > Labels… and Edit > Preferences… change the project file too: they go on the same undo
stack as the span edits, so the history never points at a label that is gone. A label that is
deleted (with its spans, their claims and links) comes back under the same ids on undo; an
added label goes away on undo and comes back under its first id on redo, so span edits made
with it meanwhile can be redone too.
"""

from __future__ import annotations

from ...core.model import Label, LabelSnapshot
from ...store import ProjectError
from ...store.project import Project
from .commands import EditCommand
from .outcome import Outcome, Report, quote


class AddLabelCommand(EditCommand):
    def __init__(self, project: Project, label: Label, *, report: Report | None = None):
        super().__init__(project, None, f"Add label {quote(label.name, 24)}", report)
        self.label = label
        self.added: Label | None = None
        self._snapshot: LabelSnapshot | None = None

    def _redo(self) -> Outcome:
        if self._snapshot is not None:
            self.added = self.project.restore_label(self._snapshot)
        else:
            self.added = self.project.add_label(self.label)
        return Outcome(None, scheme=True)

    def _undo(self) -> Outcome:
        assert self.added is not None
        # Spans tagged with it since were undone before this (the stack's order); any left (an
        # import meanwhile) go with it and come back on redo.
        self._snapshot = self.project.remove_label_saving(self.added.name)
        return Outcome(None, scheme=True, reload=bool(self._snapshot.spans))


class RemoveLabelCommand(EditCommand):
    """Delete a label and every span (and document label) that uses it."""

    def __init__(self, project: Project, name: str, *, report: Report | None = None, used: int = 0):
        what = f" and its {used:,} span{'s' if used != 1 else ''}" if used else ""
        super().__init__(project, None, f"Delete label {quote(name, 24)}{what}", report)
        self.name = name
        self._snapshot: LabelSnapshot | None = None

    def _redo(self) -> Outcome:
        self._snapshot = self.project.remove_label_saving(self.name)
        return Outcome(None, scheme=True, reload=bool(self._snapshot.spans), claims=True)

    def _undo(self) -> Outcome:
        assert self._snapshot is not None
        self.project.restore_label(self._snapshot)
        return Outcome(None, scheme=True, reload=bool(self._snapshot.spans), claims=True)


class EditLabelCommand(EditCommand):
    """Rename, recolour, re-key or describe a label (one or more at once)."""

    def __init__(self, project: Project, name: str, *, report: Report | None = None, new_name: str | None = None,
                 color: str | None = None, key: str | None = None, clear_key: bool = False,
                 description: str | None = None):
        old = next((label for label in project.labels() if label.name == name), None)
        if old is None:
            raise ProjectError(f"no label named {name!r}")
        self.old = old
        self.new = Label(new_name if new_name is not None else old.name, old.kind,
                         color.lower() if color is not None else old.color,
                         None if clear_key else (key.lower() if key is not None else old.key),
                         description if description is not None else old.description, old.id)
        super().__init__(project, None, _edit_text(old, self.new), report)

    def _redo(self) -> Outcome:
        return self._apply(self.old, self.new)

    def _undo(self) -> Outcome:
        return self._apply(self.new, self.old)

    def _apply(self, before: Label, after: Label) -> Outcome:
        with self.project.transaction():
            if after.name != before.name:
                self.project.rename_label(before.name, after.name)
            self.project.update_label(after.name, color=after.color if after.color != before.color else None,
                                      key=after.key if after.key != before.key and after.key else None,
                                      clear_key=before.key is not None and after.key is None,
                                      description=after.description if after.description != before.description
                                      else None)
        # Spans carry their label's name: after a rename the document is shown again.
        return Outcome(None, scheme=True, reload=after.name != before.name, claims=after.name != before.name)


def _edit_text(old: Label, new: Label) -> str:
    name = quote(old.name, 24)
    if new.name != old.name:
        return f"Rename label {name} to {quote(new.name, 24)}"
    if new.color != old.color:
        return f"Recolour label {name}"
    if new.key != old.key:
        return f"Key of label {name}: {new.key}" if new.key else f"Clear the key of label {name}"
    return f"Describe label {name}"


class SetProjectSettingCommand(EditCommand):
    """A preference kept in the project file (e.g. whether entity spans may overlap)."""

    def __init__(self, project: Project, key: str, value: str, *, default: str, text: str,
                 report: Report | None = None):
        super().__init__(project, None, text, report)
        self.key, self.value = key, value
        self.previous = project.setting(key, default) or default

    def _redo(self) -> Outcome:
        self.project.set_setting(self.key, self.value)
        return Outcome(None, settings=True)

    def _undo(self) -> Outcome:
        self.project.set_setting(self.key, self.previous)
        return Outcome(None, settings=True)
