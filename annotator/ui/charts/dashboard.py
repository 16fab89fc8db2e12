"""Analysis > Dashboard: the charts a lead looks at every morning, in a window of their own
beside the article, following the document session.

What the charts count is read off the GUI thread (a ``Job`` with a Project of its own, read
only): the window never waits for SQL. An edit redoes only the parts it can change
(``parts_for``: a status change redraws progress, a span labels and claims), gathered for a
quarter of a second so that typing through a document is one refresh, not twenty. Agreement,
which tokenizes every document two annotators finished, runs in a second job and is kept per
project change (``AgreementCache``): reopening the window or switching the theme does not
compute it again.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.dashboard import Chart, DashboardFilter
from ...store import Project
from ...workflows.agreement import AgreementCancelled
from ...workflows.dashboard import AGREEMENT, PARTS, SQL_PARTS, DashboardError, dashboard_charts, parts_for
from ...workflows.dashboard_agreement import (
    PENDING,
    AgreementCache,
    agreement_charts,
    agreement_key,
    dashboard_agreement,
)
from ..jobs.worker import Job, JobCancelled, JobContext
from ..session.document_session import DocumentSession
from .chart_view import ChartView
from .filters import FilterBar

SETTLE_MS = 250  # edits within this time are one refresh
COLUMNS = 2
CHART_HEIGHT = 440  # pixels, buttons included: two rows of charts whole in a window 1000 high
# Where each chart sits (row-major, two a row); an attribute chart takes the place of "attribute".
ORDER = ("progress", "cumulative", "labels", "claimants", "attribute", "agreement", "agreement-labels", "models")

_cache = AgreementCache()  # one per program: a dashboard closed and opened again finds it


def _place(key: str) -> int:
    return ORDER.index("attribute" if key.startswith("attribute-") else key)


def read_charts(path: Path, filters: DashboardFilter, parts: frozenset[str], ctx: JobContext) -> list[Chart]:
    """The SQL charts, on a Project of this thread's own that cannot write."""
    with Project.open(path, check=False, read_only=True) as project:
        return dashboard_charts(project, filters, parts=parts)


def read_agreement(path: Path, filters: DashboardFilter, ctx: JobContext):  # noqa: ANN201
    with Project.open(path, check=False, read_only=True) as project:
        try:
            return dashboard_agreement(project, filters, progress=ctx.progress, should_stop=ctx.is_cancelled)
        except AgreementCancelled:
            raise JobCancelled from None  # a newer question replaced this one: nothing to keep


class DashboardWindow(QWidget):
    refreshed = Signal()  # the charts show what the project holds now (tests wait for it)

    def __init__(self, session: DocumentSession, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboard")
        self.setWindowTitle(f"Dashboard — {session.project.path.stem}")
        self.session = session
        self.views: dict[str, ChartView] = {}
        self.filters = DashboardFilter()
        self._pending: set[str] = set()
        self._job: Job | None = None
        self._agreement_job: Job | None = None
        self._agreement_wanted = False
        self._agreement_after_sql = False
        self._closing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._start)

        self.filter_bar = FilterBar(self)
        self.filter_bar.changed.connect(self.set_filter)
        self.state = QLabel(self)
        self.state.setObjectName("dashboardState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(12)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.state)
        self.resize(1280, 860)

        self._following = False
        self.follow()

    def show_and_follow(self) -> None:
        """Show (again): a dashboard closed before follows the session again and catches up."""
        if not self._following:
            self.follow()
        self.show()
        self.raise_()
        self.activateWindow()

    # ------------------------------------------------------------------ following the session
    def follow(self) -> None:
        """Redraw on the session's change signals (never on a timer that re-reads everything)."""
        self._closing, self._following = False, True
        self._choices()
        self.session.edited.connect(self._edited)
        self.session.scheme_changed.connect(self._scheme_changed)
        self.session.documents_changed.connect(self._documents_changed)
        self.refresh(PARTS, at_once=True)

    def _documents_changed(self) -> None:
        self.refresh(PARTS)

    def _choices(self) -> None:
        project = self.session.project
        self.filter_bar.set_project_choices(project.annotators(),
                                            [lab.name for lab in project.labels() if lab.kind != "doc"])

    def _edited(self, outcome) -> None:  # noqa: ANN001 - ui.session.outcome.Outcome
        if outcome.error is None:
            self.refresh(parts_for(outcome.change, self.filters))

    def _scheme_changed(self, *_args: object) -> None:
        self._choices()
        self.refresh(PARTS)

    def set_filter(self, filters: DashboardFilter) -> None:
        self.filters = filters
        self.refresh(PARTS)

    def refresh(self, parts, *, at_once: bool = False) -> None:  # noqa: ANN001 - an iterable of part names
        """Read ``parts`` again (soon: edits close together are one refresh)."""
        self._pending |= set(parts)
        if not self._pending or self._closing:
            return
        if at_once:
            self._start()
        else:
            self._timer.start()

    # ------------------------------------------------------------------ background reading
    def _start(self) -> None:
        if self._job is not None and self._job.is_running:
            return  # started again when this one ends
        parts, self._pending = frozenset(self._pending), set()
        sql = parts & SQL_PARTS
        if AGREEMENT in parts:
            # After the SQL charts: tokenizing takes the CPU they would wait for.
            self._agreement_after_sql = bool(sql)
            if not sql:
                self._agreement()
        if not sql:
            return
        path, filters, started = self.session.project.path, self.filters, time.perf_counter()
        self.state.setText("Counting…")
        job = self._job = Job(lambda ctx: read_charts(path, filters, sql, ctx), self)
        job.succeeded.connect(lambda charts: self._show(charts, filters, time.perf_counter() - started))
        job.failed.connect(self._failed)
        job.finished.connect(self._job_finished)
        job.start()

    def _job_finished(self) -> None:
        self._job = None
        if self._agreement_after_sql and not self._closing:
            self._agreement_after_sql = False
            self._agreement()
        if self._pending and not self._closing:
            self._start()

    def _failed(self, error: BaseException, _trace: str) -> None:
        text = str(error) if isinstance(error, DashboardError) else f"The charts could not be read: {error}"
        self.state.setText(text)

    def _show(self, charts: list[Chart], filters: DashboardFilter, seconds: float) -> None:
        if filters != self.filters:
            return  # a newer filter is on its way
        for chart in charts:
            self.put(chart)
        self.state.setText(f"Updated at {time.strftime('%H:%M:%S')} in {seconds:.1f} s. Charts follow every edit; "
                           "right-click a chart or use its buttons to save it or copy its numbers.")
        self.refreshed.emit()

    def put(self, chart: Chart) -> ChartView:
        view = self.views.get(chart.key)
        if view is not None:
            view.set_chart(chart)
            return view
        view = self.views[chart.key] = ChartView(chart, self.grid_host)
        view.saved.connect(lambda path: self.state.setText(f"Saved {path}"))
        view.failed.connect(self.state.setText)
        view.setFixedHeight(CHART_HEIGHT)
        for widget in list(self.views.values()):
            self.grid.removeWidget(widget)
        for index, key in enumerate(sorted(self.views, key=lambda k: (_place(k), k))):
            self.grid.addWidget(self.views[key], index // COLUMNS, index % COLUMNS)
        return view

    # ------------------------------------------------------------------ agreement
    def _agreement(self) -> None:
        key = agreement_key(self.session.project, self.filters)
        cached = _cache.get(key)
        if cached is not None:
            for chart in agreement_charts(cached):
                self.put(chart)
            return
        if self._agreement_job is not None and self._agreement_job.is_running:
            self._agreement_wanted = True
            self._agreement_job.cancel()
            return
        for chart in agreement_charts(None):
            self.put(chart)
        path, filters = self.session.project.path, self.filters
        job = self._agreement_job = Job(lambda ctx: read_agreement(path, filters, ctx), self)
        job.progress.connect(self._agreement_progress)
        job.succeeded.connect(lambda result: self._agreement_done(key, filters, result))
        job.failed.connect(lambda error, _trace: self._agreement_done(key, filters, f"Agreement failed: {error}"))
        job.finished.connect(self._agreement_finished)
        job.start()

    def _agreement_progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            done, total = value
            for key in ("agreement", "agreement-labels"):
                view = self.views.get(key)
                if view is not None:
                    view.set_note(f"{PENDING} {done:,} of {total:,} documents.")

    def _agreement_done(self, key, filters: DashboardFilter, result) -> None:  # noqa: ANN001
        _cache.put(key, result)
        if filters == self.filters:
            for chart in agreement_charts(result):
                self.put(chart)
            self.refreshed.emit()

    def _agreement_finished(self) -> None:
        self._agreement_job = None
        if self._agreement_wanted and not self._closing:
            self._agreement_wanted = False
            self._agreement()

    @property
    def busy(self) -> bool:
        return any(job is not None and job.is_running for job in (self._job, self._agreement_job)) \
            or self._timer.isActive()

    def closeEvent(self, event) -> None:  # noqa: ANN001 - QCloseEvent
        self.stop()
        super().closeEvent(event)

    def stop(self) -> None:
        """Stop reading and following (the window or the program is closing)."""
        self._closing = True
        self._timer.stop()
        if self._following:
            self._following = False
            self.session.edited.disconnect(self._edited)
            self.session.scheme_changed.disconnect(self._scheme_changed)
            self.session.documents_changed.disconnect(self._documents_changed)
        for job in (self._job, self._agreement_job):
            if job is not None:
                job.cancel_and_wait()
