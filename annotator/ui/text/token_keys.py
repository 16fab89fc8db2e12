"""The article's keyboard: the token cursor and keyboard selections, Tab between spans, resizing
a span's end, copying.

A mixin of ``AnnotationView`` (text_view.py): it moves the view's own cursor state (``_cursor``,
``_anchor``, ``_selection``, ``_show_cursor``), as the view's mouse handling does; kept in a file
of its own so that each reads as one subject.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QTextCursor

from ..common.offsets import qt_string
from .span_index import ENTITY_LAYER
from .token_cursor import name_runs

Key = Qt.Key
Mod = Qt.KeyboardModifier
NAVIGATION_KEYS = {Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down, Key.Key_Home, Key.Key_End,
                   Key.Key_Tab, Key.Key_Backtab}


class TokenKeys:
    """Keys the article handles itself (the rest go to the window's actions)."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and hasattr(self, "_text"):
            # Our navigation keys reach keyPressEvent; everything else (PageUp, Delete, label
            # keys, Esc) is left to the window's actions.
            if isinstance(event, QKeyEvent) and self._handles(event):
                event.accept()
                return True
            event.ignore()
            return False
        return super().event(event)

    # ---------------------------------------------------------------- keyboard
    def _handles(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        if event.matches(QKeySequence.StandardKey.Copy):
            return True
        if key not in NAVIGATION_KEYS:
            return False
        if key in (Key.Key_Home, Key.Key_End):
            return mods in (Mod.NoModifier, Mod.ShiftModifier, Mod.ControlModifier)
        if key in (Key.Key_Left, Key.Key_Right) and mods in (Mod.ControlModifier | Mod.ShiftModifier,
                                                             Mod.ControlModifier):
            return True
        return mods in (Mod.NoModifier, Mod.ShiftModifier)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._text or not self._handles(event):
            event.ignore()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        key, mods = event.key(), event.modifiers() & ~Mod.KeypadModifier
        shift = bool(mods & Mod.ShiftModifier)
        # Left and Right go the way the arrow points: in a right-to-left article, Left is onward.
        onward = Key.Key_Left if self.right_to_left else Key.Key_Right
        if key in (Key.Key_Left, Key.Key_Right) and mods == (Mod.ControlModifier | Mod.ShiftModifier):
            self._resize_span_end(1 if key == onward else -1)
        elif key in (Key.Key_Left, Key.Key_Right) and mods == Mod.ControlModifier:
            self._jump_name(1 if key == onward else -1)
        elif key in (Key.Key_Tab, Key.Key_Backtab):
            self._jump_span(-1 if key == Key.Key_Backtab or shift else 1)
        elif key in (Key.Key_Left, Key.Key_Right):
            self._move(self._token_step(1 if key == onward else -1), shift, first_grabs=True)
        elif key in (Key.Key_Up, Key.Key_Down):
            self._move(self._line_step(QTextCursor.MoveOperation.Down if key == Key.Key_Down
                                       else QTextCursor.MoveOperation.Up), shift)
        elif key in (Key.Key_Home, Key.Key_End):
            if mods & Mod.ControlModifier:
                tokens = self.tokens()
                target = (0 if key == Key.Key_Home else len(tokens) - 1) if len(tokens) else None
            else:
                target = self._line_step(QTextCursor.MoveOperation.StartOfLine if key == Key.Key_Home
                                         else QTextCursor.MoveOperation.EndOfLine)
            self._move(target, shift)
        event.accept()

    def copy_selection(self) -> None:
        if self._selection is not None:
            start, end = self._selection
            QGuiApplication.clipboard().setText(qt_string(self._text[start:end]))

    def _current_index(self) -> int | None:
        tokens = self.tokens()
        if self._cursor is None:
            first = self.cursorForPosition(QPoint(4, 4)).position()
            return tokens.index_at(self._offsets.from_qt(first))
        return tokens.index_at(self._cursor)

    def _token_step(self, step: int) -> int | None:
        i = self._current_index()
        if i is None:
            return None
        if self._cursor is None or not self._show_cursor:
            return i  # the first key press shows the cursor where it is
        return max(0, min(len(self.tokens()) - 1, i + step))

    def _line_step(self, operation: QTextCursor.MoveOperation) -> int | None:
        i = self._current_index()
        if i is None:
            return None
        tokens = self.tokens()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(tokens[i][0]))
        vertical = operation in (QTextCursor.MoveOperation.Up, QTextCursor.MoveOperation.Down)
        if vertical:
            # Blank lines between paragraphs hold no token: go on to the next line that does.
            while True:
                if not cursor.movePosition(operation):
                    return i
                if cursor.block().length() > 1:
                    break
        else:
            cursor.movePosition(operation)
        offset = self._offsets.from_qt(cursor.position())
        if operation == QTextCursor.MoveOperation.EndOfLine:
            j = tokens.index_at(max(0, offset - 1))
            return j if j is not None and tokens[j][0] < offset else tokens.nearest(offset)
        return tokens.nearest(offset) if operation != QTextCursor.MoveOperation.StartOfLine else tokens.index_at(offset)

    def _move(self, target: int | None, extend: bool, *, first_grabs: bool = False) -> None:
        if target is None:
            return
        tokens = self.tokens()
        current = self._current_index()
        if extend:
            if self._anchor is None:
                # Shift+arrow starts a selection with the token under the cursor.
                self._anchor = tokens[current][0] if current is not None else tokens[target][0]
                if first_grabs and self._show_cursor:
                    target = current if current is not None else target
            anchor_index = tokens.index_at(self._anchor)
            lo, hi = sorted((anchor_index, target))
            self._cursor = tokens[target][0]
            self._selection = (tokens[lo][0], tokens[hi][1])
        else:
            self._anchor = None
            self._selection = None
            self._cursor = tokens[target][0]
        self._show_cursor = True
        self._sync_qt_cursor()
        self.cursor_moved.emit()

    def _jump_span(self, step: int) -> None:
        if self._index is None:
            return
        spans = self._index.all()
        if not spans:
            return
        here = self._cursor if self._cursor is not None and not self.cursor_untouched else -1
        starts = [s.span.start for s in spans]
        if step > 0:
            after = [s for s in starts if s > here]
            target = after[0] if after else starts[0]
        else:
            before = [s for s in starts if s < here]
            target = before[-1] if before else starts[-1]
        self.set_cursor_offset(target)

    def _jump_name(self, step: int) -> None:
        """Ctrl+Right / Ctrl+Left: select the next / previous name that is not tagged yet (a run of
        capitalised words, token_cursor.name_runs), so that one label key tags it."""
        tokens = self.tokens()
        if self._names is None or self._names[0] is not tokens:
            self._names = (tokens, name_runs(self._text, tokens.spans))
        index = self._index
        tagged = [s.span for s in index.all() if s.layer == ENTITY_LAYER and not s.suggested] if index else []
        untagged = [(a, b) for a, b in self._names[1] if not any(t.start <= a and b <= t.end for t in tagged)]
        if self._selection is not None:
            here = self._selection[0]
        else:
            here = self._cursor if self._cursor is not None and not self.cursor_untouched else -1
        if step > 0:
            target = next((r for r in untagged if r[0] > here), None)
        else:
            target = next((r for r in reversed(untagged) if r[0] < here), None)
        if target is None:
            return
        self._anchor = target[0]
        self._selection = target
        self._cursor = target[0]
        self._show_cursor = True
        self._sync_qt_cursor()
        self.cursor_moved.emit()

    def _resize_span_end(self, step: int) -> None:
        around = self.spans_at_cursor()
        if not around:
            return
        span = around[-1].span
        tokens = self.tokens()
        last = tokens.index_at(max(span.start, span.end - 1))
        if last is None:
            return
        target = last + step
        if not 0 <= target < len(tokens) or tokens[target][1] <= span.start:
            return
        self.resize_requested.emit(span.id, span.start, tokens[target][1])
