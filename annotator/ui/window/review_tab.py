"""Review mode in the window: its tab beside Spans and Claims while it is on, its progress in
the status bar, the document list's "Needs review" filters, View > Review checked (the mode itself is ui/review/review_mode.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..review.review_mode import ReviewMode
from ..review.review_pane import ReviewPane

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_review(window: MainWindow) -> ReviewMode:
    pane = ReviewPane(window)
    pane.hide()  # a tab only while review mode is on
    mode = ReviewMode(window.session, window.text_view, pane, window.navigation.go_to, busy=window.claim_flow.is_busy,
                      next_listed=window.document_pane.review_next)

    def active(on: bool) -> None:
        tabs = window.side_tabs
        if on:
            tabs.setCurrentIndex(tabs.addTab(pane, "Review"))
        elif tabs.indexOf(pane) >= 0:
            tabs.removeTab(tabs.indexOf(pane))
            pane.hide()
        action = window.actions_by_id.get("view.review")
        if action is not None:
            action.setCheckable(True)
            action.setChecked(on)
        window.text_view.setFocus()  # the review keys are read from the article

    mode.active_changed.connect(active)
    # The document list's "Needs review" entries: there while review mode is on, filled once counted.
    documents = window.document_pane
    mode.active_changed.connect(documents.show_review_filters)
    mode.lists_changed.connect(lambda: documents.set_review_lists(mode.needs_review(), mode.most_disagreement()))
    mode.progress_changed.connect(window.status.set_review)
    return mode
