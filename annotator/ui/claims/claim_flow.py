"""Claim editing in the annotation window: which claim is selected, what its keys mean, and
turning the claim editor's choices into undoable commands.

The article keeps the keyboard focus while a claim is being edited (the token cursor selects
claimants and cues there), so the claim keys are read by an event filter on the article (and
on the side lists) before the window's shortcuts: while a claim is selected,

- K / U take the article's selection as the claimant / cue (the span with exactly that range,
  or the smallest span around it, or a new SOURCE / CUE span); with no selection they wait for
  one ("picking": select, then Enter; or drag; or click a span; Delete unlinks; Esc cancels);
- Shift+K / Shift+U open the editor's list of candidates, nearest to the claim first;
- an attribute's key (the scheme's: q, s, w, v, n by default) waits for a digit that picks a
  choice (0 clears, Esc cancels), or moves the focus into a text field (Enter keeps, Esc
  cancels, then the focus comes back);
- Esc leaves claim editing (after it has cleared a selection or a sticky label).

The attribute and K/U keys beat label keys while a claim is selected; digits do only while
an attribute waits for one. The window calls the hooks at the bottom (document shown,
scheme reloaded, a selection made, a span about to be deleted, a document about to be done).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ...core.changes import Change
from ...core.model import Claim, ClaimAttribute, Label
from ...store import ProjectError
from ...store.claims import ClaimantLink
from ..session.claim_commands import (
    CreateClaimCommand,
    LinkNewSpanCommand,
    SetClaimantCommand,
    SetClaimValueCommand,
    SetCueCommand,
)
from .claim_editor import ClaimEditor
from .claim_links import ClaimMarks
from .claim_links import paint_over as paint_links_over
from .claim_links import paint_under as paint_links_under
from .claims_list import ClaimList, ClaimListModel, missing_titles
from ..session.commands import Effect, describe_error
from .span_chooser import Candidate
from ..text.span_index import CLAIM_LAYER, ShownSpan

if TYPE_CHECKING:
    from ..window.main_window import MainWindow

Key = Qt.Key
Mod = Qt.KeyboardModifier
CLAIMANT_KEY, CUE_KEY = "k", "u"
ROLE_KEYS = {CLAIMANT_KEY: "claimant", CUE_KEY: "cue"}
ENTER = (Key.Key_Return, Key.Key_Enter)
ERASE = (Key.Key_Delete, Key.Key_Backspace)


def role_labels(labels: list[Label]) -> tuple[str | None, str | None]:
    """The role labels new claimant and cue spans get: SOURCE and CUE by name, else the
    scheme's first role labels."""
    roles = [label.name for label in labels if label.kind == "role"]
    cue = next((n for n in roles if n.upper() == "CUE"), roles[0] if roles else None)
    source = next((n for n in roles if n.upper() == "SOURCE"), next((n for n in roles if n != cue), cue))
    return source, cue


def distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two ranges (0 when they touch or overlap)."""
    return max(0, max(a_start, b_start) - min(a_end, b_end))


# Entity types that name amounts and times, never who said something: listed last as claimants.
NOT_CLAIMANTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"})


def _letter(key: int) -> str | None:
    return chr(key).lower() if Key.Key_A <= key <= Key.Key_Z else None


class ClaimKeys(QObject):
    """The event filter: a claim key is taken before the window's shortcuts see it."""

    def __init__(self, flow: ClaimFlow):
        super().__init__(flow)
        self.flow = flow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return False
        action = self.flow.key_action(event)
        if action is None:
            if self.flow.pending is not None and event.key() not in (Key.Key_Shift, Key.Key_Control, Key.Key_Alt,
                                                                     Key.Key_Meta):
                self.flow.cancel_pending()  # any other key ends the wait for a digit
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key press comes to us, not to a shortcut
            return True
        if not event.isAutoRepeat():
            action()
        return True


class ClaimFlow(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.project = window.project
        self.view = window.text_view
        self.panel = ClaimEditor()
        self.model = ClaimListModel(self)
        self.list = ClaimList(self.model)
        self.list.setObjectName("claimList")
        self.active: Claim | None = None
        self.pending: str | None = None  # an attribute waiting for a digit
        self.picking: str | None = None  # "claimant" | "cue" waiting for a selection in the article
        self.dialog: QWidget | None = None  # the claimants dialog, while open
        self._attributes: list[ClaimAttribute] = []
        self._labels: list[Label] = []
        self._linked: set[int] = set()  # span ids the shown claims use (content, claimant, cue)
        self._flushing = False
        self.keys = ClaimKeys(self)
        for widget in (self.view, self.list):
            widget.installEventFilter(self.keys)
        self.view.painters_under.append(self._paint_under)
        self.view.painters_over.append(self._paint_over)
        self.view.span_clicked.connect(self._span_clicked)
        self.list.claim_chosen.connect(lambda claim_id: self.activate(claim_id, reveal=True))
        self.list.delete_requested.connect(self._delete_claim)
        self.list.back_to_text.connect(self.focus_text)
        panel = self.panel
        panel.value_chosen.connect(self.set_value)
        panel.claimant_chosen.connect(lambda choice: self._chosen("claimant", choice))
        panel.cue_chosen.connect(lambda choice: self._chosen("cue", choice))
        panel.pick_requested.connect(self.pick)
        panel.chooser_requested.connect(self.open_chooser)
        panel.finished.connect(self.focus_text)

    # ------------------------------------------------------------ the window's hooks
    def reload_scheme(self) -> None:
        try:
            self._labels = self.project.labels()
            self._attributes = self.project.claim_attributes()
        except sqlite3.Error as exc:
            self.window.show_message(describe_error(exc), error=True)
            return
        self.panel.set_scheme(self._attributes, self._labels)
        self.model.set_scheme(self._attributes, {label.name: label.color for label in self._labels})

    def leaving_document(self) -> None:
        """Before another document is shown (or the window closes): a note being typed is kept
        for the claim it belongs to, while that claim's document is still the shown one."""
        self._flush()

    def document_shown(self, doc_id: int | None) -> None:
        self.active = None
        self.pending = self.picking = None
        self.reload()
        self._show_active()

    def take_selection(self, start: int, end: int) -> bool:
        """A selection made with the mouse while picking: it is the claimant or cue."""
        if self.picking is None or self.active is None:
            return False
        self.link_range(self.picking, start, end)
        return True

    def open_at_cursor(self, label: str, around: list[ShownSpan]) -> bool:
        """A claim label's key on a claim with no selection: open that claim (making a claim of
        a claim-label span that has none). False when the key should relabel instead."""
        claims = [s for s in around if s.layer == CLAIM_LAYER and not s.suggested]
        if not claims:
            return False
        target = claims[-1]
        if target.span.label != label:
            return False
        claim = self._claim_of_span(target.id)
        if claim is not None:
            self.activate(claim.id)
        elif self.view.doc_id is not None:
            self._run(lambda: CreateClaimCommand(self.project, target.id, notify=self._notify))
        return True

    def confirm_delete(self, span_id: int) -> bool:
        """Ask before deleting a span that is some claim's claimant or cue."""
        try:
            links = self.project.claims_linking(span_id)
            text = self.project.span(span_id).text if links else ""
        except (ProjectError, sqlite3.Error):
            return True  # the command will report what is wrong
        if not links:
            return True
        claimant = sum(1 for _claim, role in links if role == "claimant")
        cue = len(links) - claimant
        roles = []
        if claimant:
            roles.append(f"the claimant of {claimant} claim{'s' if claimant != 1 else ''}")
        if cue:
            roles.append(f"the cue of {cue} claim{'s' if cue != 1 else ''}")
        name = " ".join(text.split())
        name = name if len(name) <= 40 else name[:39] + "…"
        them = "them" if len(links) > 1 else "it"
        box = QMessageBox(QMessageBox.Icon.Question, "Delete span",
                          f"“{name}” is {' and '.join(roles)}; delete it and unlink {them}?\n\n"
                          "The claims stay; Undo puts the links back.", parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton("&Delete and Unlink", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("&Keep", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setObjectName("confirmUnlink")
        self._ask(box)
        return box.clickedButton() is delete

    def ready_for_done(self, doc_id: int) -> bool:
        """Before marking a document done: claims missing a required attribute are pointed out."""
        if doc_id != self.view.doc_id:
            return True
        incomplete = self.model.incomplete()
        if not incomplete:
            return True
        titles = sorted({t for c in incomplete for t in missing_titles(c, self._attributes)})
        many = len(incomplete) != 1
        box = QMessageBox(QMessageBox.Icon.Warning, "Claims are incomplete",
                          f"{len(incomplete)} claim{'s' if many else ''} in this document {'miss' if many else 'misses'}"
                          f" a required attribute ({', '.join(titles)}). Mark it done anyway?", parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        done = box.addButton("Mark &Done Anyway", QMessageBox.ButtonRole.AcceptRole)
        show = box.addButton("&Show the Claim", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(show)
        box.setObjectName("confirmIncomplete")
        self._ask(box)
        if box.clickedButton() is done:
            return True
        self.activate(incomplete[0].id, reveal=True)
        return False

    def _ask(self, box: QMessageBox) -> None:
        """Run a question; then the keys go back where they were (not every platform gives the
        window its focus back after a modal box)."""
        focus = QApplication.focusWidget()
        box.exec()
        box.deleteLater()  # read by the caller first: deferred
        self.window.activateWindow()
        if focus is not None and self.window.isAncestorOf(focus):
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ state
    def reload(self) -> None:
        """Read the shown document's claims again (after an edit that touched them)."""
        doc_id = self.view.doc_id
        try:
            # A rejected suggestion's claim stays in the file (a model learns from it), not in the list.
            claims = [c for c in self.project.claims(doc_id) if c.content.state != "rejected"] \
                if doc_id is not None else []
            aliases = self.project.claimant_aliases() if claims else {}
        except (ProjectError, sqlite3.Error) as exc:
            self.window.show_message(describe_error(exc), error=True)
            return
        self.model.set_claims(claims, aliases)
        self._linked = {s.id for c in claims for s in (c.content, c.claimant, c.cue) if s is not None and s.id}
        if self.active is not None:
            self.active = next((c for c in claims if c.id == self.active.id), None)
            if self.active is None:
                self.pending = self.picking = None
        self._show_active()
        self._title()

    def activate(self, claim_id: int | None, *, reveal: bool = False) -> None:
        if self.active is not None and self.active.id != claim_id:
            self._flush()
        self.active = next((c for c in self.model.claims() if c.id == claim_id), None)
        self.pending = self.picking = None
        self._show_active()
        if self.active is not None:
            tabs = getattr(self.window, "side_tabs", None)
            if tabs is not None:
                tabs.setCurrentWidget(self.list)
            if reveal:
                self.view.set_cursor_offset(self.active.content.start)

    def _flush(self) -> None:
        self._flushing = True  # the kept value's effect must not open its claim again
        try:
            self.panel.flush()
        finally:
            self._flushing = False

    def leave(self) -> None:
        self.activate(None)
        self.window.show_message("Claim editing done.")

    def focus_text(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_active(self) -> None:
        claim = self.active
        canonical = None
        if claim is not None and claim.claimant_name:
            canonical = self.model.canonical(claim.claimant_name)
        row = self.model.row_of(claim.id) if claim else None
        position = (row + 1, self.model.rowCount()) if row is not None else None
        self.panel.show_claim(claim, missing_titles(claim, self._attributes) if claim else (), canonical, position)
        self.panel.setEnabled(not self.project.read_only)
        self.panel.set_pending(self.pending)
        self.panel.set_picking(self.picking)
        self.list.select_claim(claim.id if claim else None)
        self.view.viewport().update()

    def _title(self) -> None:
        tabs = getattr(self.window, "side_tabs", None)
        if tabs is None:
            return
        count = self.model.rowCount()
        incomplete = len(self.model.incomplete())
        text = f"Claims ({count})" if count else "Claims"
        if incomplete:
            text += f" ⚠{incomplete}"
        tabs.setTabText(tabs.indexOf(self.list), text)

    # ------------------------------------------------------------ keys
    def key_action(self, event: QKeyEvent) -> Callable[[], None] | None:
        """What a key press means while a claim is selected, or None to leave it to the window."""
        if self.active is None or self.project.read_only:
            return None
        key = event.key()
        mods = event.modifiers() & ~Mod.KeypadModifier
        plain = mods == Mod.NoModifier
        if self.pending is not None:
            attribute = self._attribute(self.pending)
            if attribute is not None and plain and Key.Key_0 <= key <= Key.Key_9:
                number = key - Key.Key_0
                if number == 0:
                    return lambda: self.set_value(attribute.name, None)
                if number <= len(attribute.choices):
                    return lambda: self.set_value(attribute.name, attribute.choices[number - 1])
                return lambda: self.window.show_message(
                    f"{attribute.title} has {len(attribute.choices)} choices: press 1–{len(attribute.choices)} "
                    "(0 clears, Esc cancels).", error=True)
            if attribute is not None and plain and key in ERASE:
                return lambda: self.set_value(attribute.name, None)
            if key == Key.Key_Escape:
                return self.cancel_pending
        if self.picking is not None:
            role = self.picking
            if plain and key in ENTER:
                return self.pick_here
            if plain and key in ERASE:
                return lambda: self.unlink(role)
            if key == Key.Key_Escape:
                return self.cancel_picking
        letter = _letter(key)
        if letter is not None and plain:
            if letter in ROLE_KEYS:
                return lambda: self.pick(ROLE_KEYS[letter])
            attribute = next((a for a in self._attributes if a.key == letter), None)
            if attribute is not None:
                return lambda: self.start_attribute(attribute.name)
        if letter in ROLE_KEYS and mods == Mod.ShiftModifier:
            return lambda: self.open_chooser(ROLE_KEYS[letter])
        if plain and key == Key.Key_Escape:
            if self.window.label_bar.armed is not None or self.view.selection() is not None:
                return None  # Esc clears those first (the window's Clear Selection)
            return self.leave
        return None

    def start_attribute(self, name: str) -> None:
        attribute = self._attribute(name)
        if attribute is None or self.active is None:
            return
        self.picking = None
        self.panel.set_picking(None)
        if attribute.kind != "choice":
            self.pending = None
            self.panel.set_pending(None)
            self.panel.edit_text(name)
            return
        self.pending = name
        self.panel.set_pending(name)
        choices = ", ".join(f"{i} {c}" for i, c in enumerate(attribute.choices[:9], 1))
        self.window.show_message(f"{attribute.title}: {choices} — 0 clears, Esc cancels.")

    def cancel_pending(self) -> None:
        if self.pending is not None:
            self.pending = None
            self.panel.set_pending(None)

    def cancel_picking(self) -> None:
        self.picking = None
        self.panel.set_picking(None)
        self.window.show_message("Picking cancelled.")

    def pick(self, role: str) -> None:
        """K / U: the selection is the claimant / cue; with none, wait for one."""
        if self.active is None:
            return
        self.pending = None
        selection = self.view.selection()
        if selection is not None:
            self.link_range(role, *selection)
            return
        self.picking = role
        self.panel.set_pending(None)
        self.panel.set_picking(role)
        self.focus_text()
        self.window.show_message(f"Select the {role} in the article (Shift+arrows or the mouse) and press Enter, "
                                 f"or click a span. Delete: no {role}. Esc cancels.")

    def pick_here(self) -> None:
        """Enter while picking: the selection, or else the span under the token cursor."""
        role = self.picking
        if role is None:
            return
        selection = self.view.selection()
        if selection is not None:
            self.link_range(role, *selection)
            return
        content_id = self.active.content.id if self.active is not None else None
        around = [s for s in self.view.spans_at_cursor()
                  if s.layer != CLAIM_LAYER and not s.suggested and s.id != content_id]
        if around:
            self.link_span(role, around[-1].id)
            return
        self.window.show_message(f"Select the {role} first (Shift+arrows or the mouse), then press Enter.",
                                 error=True)

    def open_chooser(self, role: str) -> None:
        if self.active is None:
            return
        self.pending = self.picking = None
        self.panel.set_pending(None)
        self.panel.set_picking(None)
        self.panel.open_chooser(role, self.candidates(role))

    # ------------------------------------------------------------ edits
    def link_range(self, role: str, start: int, end: int) -> None:
        claim = self.active
        if claim is None:
            return
        self.picking = None
        self.panel.set_picking(None)
        if (start, end) == (claim.content.start, claim.content.end):
            self.window.show_message(f"That is the claim itself: select its {role}.", error=True)
            return
        existing = self._span_for_range(start, end)
        if existing is not None:
            self.link_span(role, existing.id)
        else:
            source, cue = role_labels(self._labels)
            label = source if role == "claimant" else cue
            if label is None:
                self.window.show_message(f"This scheme has no role label for a {role} that is not a span yet: "
                                         "add one (e.g. SOURCE, CUE) under Edit > Labels.", error=True)
                return
            annotator = self.window.editor.annotator
            surface = self.view.text[start:end]
            self._run(lambda: LinkNewSpanCommand(self.project, claim.id, role, start, end, label, annotator=annotator,
                                                 notify=self._notify, surface=surface))
        self.view.clear_selection()

    def link_span(self, role: str, span_id: int) -> None:
        claim = self.active
        if claim is None:
            return
        self.picking = None
        self.panel.set_picking(None)
        if span_id == claim.content.id:
            self.window.show_message(f"That is the claim itself: pick its {role}.", error=True)
            return
        current = claim.claimant if role == "claimant" else claim.cue
        if current is not None and current.id == span_id:
            self.window.show_message(f"That already is the {role}.")
            return
        if role == "claimant":
            self._run(lambda: SetClaimantCommand(self.project, claim.id, ClaimantLink(span_id=span_id),
                                                 notify=self._notify))
        else:
            self._run(lambda: SetCueCommand(self.project, claim.id, span_id, notify=self._notify))

    def unlink(self, role: str) -> None:
        claim = self.active
        self.picking = None
        self.panel.set_picking(None)
        if claim is None:
            return
        if role == "claimant" and (claim.claimant is not None or claim.claimant_text):
            self._run(lambda: SetClaimantCommand(self.project, claim.id, ClaimantLink(), notify=self._notify))
        elif role == "cue" and claim.cue is not None:
            self._run(lambda: SetCueCommand(self.project, claim.id, None, notify=self._notify))

    def set_value(self, attribute: str, value: str | None) -> None:
        claim = self.active
        self.pending = None
        self.panel.set_pending(None)
        if claim is None:
            return
        if claim.values.get(attribute) == value:
            self._show_active()  # a combo may show a choice that was not taken
            return
        title = (a.title if (a := self._attribute(attribute)) else attribute)
        self._run(lambda: SetClaimValueCommand(self.project, claim.id, attribute, value, notify=self._notify,
                                               title=title))

    def _chosen(self, role: str, choice: tuple[str, object]) -> None:
        claim = self.active
        if claim is None:
            return
        kind, value = choice
        if kind == "none":
            self.unlink(role)
        elif kind == "span" and isinstance(value, int):
            self.link_span(role, value)
        elif kind == "text" and role == "claimant" and isinstance(value, str) and value.strip():
            if claim.claimant is None and claim.claimant_text == value.strip():
                return
            self._run(lambda: SetClaimantCommand(self.project, claim.id, ClaimantLink(text=value.strip()),
                                                 notify=self._notify))

    def _delete_claim(self, span_id: int) -> None:
        if self.view.doc_id is not None and not self.project.read_only:
            self.window._delete(span_id, self.view.doc_id)

    def _run(self, build: Callable[[], object]) -> None:
        self.window.editor.run(build, self.view.doc_id)  # type: ignore[arg-type]

    def _notify(self, effect: Effect) -> None:
        self.window.editor.changed.emit(effect)

    def on_effect(self, effect: Effect) -> None:
        """After the window has handled an edit (and maybe switched documents)."""
        if effect.error is not None:
            return
        if effect.doc_id is None:  # claimant aliases: names shown in the list and editor
            self.reload()
            self._refresh_dialog()
            return
        if effect.doc_id != self.view.doc_id:
            return
        if Change.CLAIMS not in effect.change and not any(s in self._linked for s in effect.span_ids):
            return
        self.reload()
        if Change.CLAIMS in effect.change and effect.span_ids and not self._flushing:
            claim = self._claim_of_span(effect.span_ids[0])
            if claim is not None and (self.active is None or self.active.id != claim.id):
                self.activate(claim.id)  # a new claim, or one an undo brought back
        self._refresh_dialog()

    # ------------------------------------------------------------ looking things up
    def candidates(self, role: str) -> list[Candidate]:
        """Spans that can be the claimant (entities and source phrases) or cue (role spans),
        nearest to the claim first; a name that occurs again further away is listed once.

        Spans inside the claim come after those around it, and dates, amounts and numbers
        after names (a claim is rarely made by its own words or by "Tuesday").
        """
        claim, index = self.active, self.view.index
        if claim is None or index is None:
            return []
        _source, cue_label = role_labels(self._labels)
        colors = {label.name: label.color for label in self._labels}
        content = claim.content
        found: list[tuple[tuple[bool, bool, int, int], Candidate]] = []
        seen: set[tuple[str, str]] = set()
        for shown in index.all():
            span = shown.span
            if shown.layer == CLAIM_LAYER or shown.suggested or span.id == content.id:
                continue
            if role == "claimant" and span.label == cue_label:
                continue
            if role == "cue" and shown.kind != "role":
                continue
            where = "inside" if content.start <= span.start and span.end <= content.end else \
                "before" if span.end <= content.start else "after"
            rank = (where == "inside", role == "claimant" and span.label.upper() in NOT_CLAIMANTS,
                    distance(content.start, content.end, span.start, span.end), span.start)
            found.append((rank, Candidate(span.id, span.text, span.label, where, colors.get(span.label, "#999999"))))
        found.sort(key=lambda item: item[0])
        result = []
        for _rank, candidate in found:
            name = (" ".join(candidate.text.split()).casefold(), candidate.label)
            if name not in seen:
                seen.add(name)
                result.append(candidate)
        return result

    def _attribute(self, name: str) -> ClaimAttribute | None:
        return next((a for a in self._attributes if a.name == name), None)

    def _claim_of_span(self, span_id: int) -> Claim | None:
        return next((c for c in self.model.claims() if c.content.id == span_id), None)

    def _span_for_range(self, start: int, end: int):  # noqa: ANN202 - a core Span or None
        """The span the user meant by selecting start-end: one with exactly that range, else the
        smallest one around it (never a claim's content)."""
        index = self.view.index
        if index is None:
            return None
        spans = [s.span for s in index.all() if s.layer != CLAIM_LAYER and not s.suggested]
        exact = [s for s in spans if (s.start, s.end) == (start, end)]
        if exact:
            return exact[0]
        around = [s for s in spans if s.start <= start and end <= s.end]
        return min(around, key=lambda s: s.end - s.start) if around else None

    def _span_clicked(self, span_id: int) -> None:
        shown = self.view.index.get(span_id) if self.view.index is not None else None
        if shown is None:
            return
        if self.picking is not None and self.active is not None:
            if shown.layer == CLAIM_LAYER:
                self.window.show_message(f"A claim cannot be a {self.picking}: click a name or a phrase.",
                                         error=True)
                return
            self.link_span(self.picking, span_id)
            return
        claim = self._claim_of_span(span_id)
        if claim is not None and (self.active is None or self.active.id != claim.id):
            self.activate(claim.id)

    # ------------------------------------------------------------ the claimants dialog
    def show_claimants(self) -> None:
        from .claimants_dialog import ClaimantsDialog

        if self.dialog is None:
            self.dialog = ClaimantsDialog(self.project, self.window.editor, parent=self.window)
            self.dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _refresh_dialog(self) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reload()  # type: ignore[attr-defined]

    # ------------------------------------------------------------ painting
    def _marks(self) -> ClaimMarks | None:
        claim = self.active
        if claim is None or claim.doc_id != self.view.doc_id or claim.content.id is None:
            return None
        return ClaimMarks(claim.content.id, claim.claimant.id if claim.claimant else None,
                          claim.cue.id if claim.cue else None)

    def _paint_under(self, painter: QPainter) -> None:
        marks = self._marks()
        if marks is not None and self.view.index is not None and self.view.styles is not None:
            paint_links_under(painter, self.view, self.view.index, self.view.styles, marks)

    def _paint_over(self, painter: QPainter) -> None:
        marks = self._marks()
        if marks is not None and self.view.index is not None and self.view.styles is not None:
            paint_links_over(painter, self.view, self.view.index, self.view.styles, marks)
