"""File > Team > Split…: the documents dealt out among annotators, one project file each.

The same as ``annotator team split`` (workflows/splitting.py): who, how many documents every
annotator gets (for agreement), how many annotators each other document goes to, the seed,
and the folder. The split runs off the GUI thread; the assignment is recorded in this project
(the document list then shows who has which document).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from ...core.textutil import path_text
from ...store import Project, ProjectError
from ...workflows.splitting import SplitCancelled, SplitError, SplitOptions, SplitResult, split_project
from ..common import file_chooser
from ..common.plain_text import plain_label
from ..jobs.worker import JobCancelled, JobContext
from .team_job import TeamJobDialog


def run_split(path: Path, output: Path, options: SplitOptions, ctx: JobContext) -> SplitResult:
    """The job: on the worker thread with a Project of its own (it records the assignment)."""
    with Project.open(path, check=False) as project:
        try:
            return split_project(project, output, options, ctx.progress, ctx.is_cancelled)
        except SplitCancelled:
            raise JobCancelled(None) from None


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def names_of(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.replace("\n", ",").split(",") if name.strip())


def result_text(result: SplitResult) -> str:
    lines = []
    for file in result.files:
        c = file.counts
        extra = f", {c.suggestions:,} suggestions" if c.suggestions else ""
        lines.append(f"{path_text(str(file.path))}: {file.annotator}: {plural(c.documents, 'document')}, "
                     f"{plural(c.spans, 'span')}, {plural(c.claims, 'claim')}{extra}")
        if c.links_left_out:
            lines.append(f"  {c.links_left_out:,} claim links to other annotators' spans left out")
        if c.unattributed_left_out:
            lines.append(f"  {c.unattributed_left_out:,} spans with no annotator left out (they belong to no layer)")
    return "\n".join(lines)


class SplitDialog(TeamJobDialog):
    split_done = Signal(object)  # SplitResult: the assignment changed

    def __init__(self, project: Project, annotators: list[str] | None = None, parent: QWidget | None = None):
        super().__init__("Split the Work Among Annotators", "&Split", "split", parent)
        self.path = Path(project.path)
        self.documents = project.document_count()
        self.result: SplitResult | None = None
        self._build(annotators or [])
        self._update_plan()
        self.update_buttons()

    def _build(self, annotators: list[str]) -> None:
        self.names_edit = QLineEdit(", ".join(annotators))
        self.names_edit.setObjectName("splitAnnotators")
        self.names_edit.setPlaceholderText("alice, bob, carol")
        self.share_radio = QRadioButton("A &share of the documents:")
        self.share_radio.setChecked(True)
        self.share_spin = QDoubleSpinBox()
        self.share_spin.setObjectName("splitShare")
        self.share_spin.setRange(0, 100)
        self.share_spin.setDecimals(0)
        self.share_spin.setSuffix(" %")
        self.share_spin.setValue(20)
        self.count_radio = QRadioButton("A n&umber of them:")
        self.count_spin = QSpinBox()
        self.count_spin.setObjectName("splitCount")
        self.count_spin.setRange(0, max(0, self.documents))
        self.count_spin.setSuffix(" documents")
        group = QButtonGroup(self)
        group.addButton(self.share_radio)
        group.addButton(self.count_radio)
        overlap = QHBoxLayout()
        for widget in (self.share_radio, self.share_spin, self.count_radio, self.count_spin):
            overlap.addWidget(widget)
        overlap.addStretch(1)
        self.per_doc_spin = QSpinBox()
        self.per_doc_spin.setObjectName("splitPerDoc")
        self.per_doc_spin.setRange(1, 50)
        self.per_doc_spin.setSuffix(" annotator(s) each")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("splitSeed")
        self.seed_spin.setRange(0, 2_000_000_000)
        self.output_edit = QLineEdit(str(self.path.parent / f"{self.path.stem}-team"))
        self.output_edit.setObjectName("splitOutput")
        choose = QPushButton("C&hoose…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self.choose_output)
        output = QHBoxLayout()
        output.addWidget(self.output_edit, 1)
        output.addWidget(choose)
        self.plan_label = plain_label(name="splitPlan", wrap=True)
        self.open_button = QPushButton("&Open Folder")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_folder)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.open_button.hide()  # after addButton, which shows it: there is no folder to open yet
        form = QFormLayout(self.form_box)
        form.addRow(plain_label("&Annotators:", self.names_edit), self.names_edit)
        form.addRow(plain_label("Everyone gets:"), overlap)
        form.addRow(plain_label("The other &documents go to:", self.per_doc_spin), self.per_doc_spin)
        form.addRow(plain_label("S&eed:", self.seed_spin), self.seed_spin)
        form.addRow(plain_label("&Folder for the files:", self.output_edit), output)
        form.addRow("", self.plan_label)
        self.form_box.setTitle(f"Split {self.documents:,} documents of {self.path.name}")
        for signal in (self.names_edit.textChanged, self.share_spin.valueChanged, self.count_spin.valueChanged,
                       self.per_doc_spin.valueChanged, self.share_radio.toggled, self.output_edit.textChanged):
            signal.connect(self._update_plan)

    # ------------------------------------------------------------------ choices
    def options(self) -> SplitOptions:
        share = self.share_radio.isChecked()
        return SplitOptions(names_of(self.names_edit.text()), overlap=self.share_spin.value() / 100 if share else None,
                            overlap_docs=None if share else self.count_spin.value(),
                            per_doc=self.per_doc_spin.value(), seed=self.seed_spin.value())

    def output(self) -> Path | None:
        text = self.output_edit.text().strip()
        return Path(text).expanduser() if text else None

    def can_start(self) -> bool:
        names = names_of(self.names_edit.text())
        return bool(names) and self.output() is not None and self.per_doc_spin.value() <= len(names)

    def _update_plan(self, *_args: object) -> None:
        """What the choices give, before anything is written (the dealing of core.team.plan_split)."""
        names = names_of(self.names_edit.text())
        self.share_spin.setEnabled(self.share_radio.isChecked())
        self.count_spin.setEnabled(self.count_radio.isChecked())
        total = self.documents
        if not names:
            self.plan_label.setText("Name the annotators, separated by commas: each gets a file NAME.annotator.")
        elif self.per_doc_spin.value() > len(names):
            self.plan_label.setText(f"Each document can go to at most {len(names)} annotators (as many as there are).")
        else:
            options = self.options()
            shared = options.overlap_docs if options.overlap is None else round(options.overlap * total)
            shared = min(shared, total)
            each = shared + (total - shared) * options.per_doc / len(names)
            self.plan_label.setText(
                f"{plural(shared, 'document')} go{'es' if shared == 1 else ''} to everyone (to measure agreement); the"
                f" other {total - shared:,} are dealt "
                f"out, each to {options.per_doc}: about {each:,.0f} documents per annotator, in "
                f"{', '.join(f'{n}.annotator' for n in names[:4])}{' …' if len(names) > 4 else ''}.")
        self.update_buttons()

    def choose_output(self) -> None:
        chosen = file_chooser.folder(self, "Folder for the Annotators' Files", self.output_edit.text())
        if chosen:
            self.output_edit.setText(chosen)

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        output = self.output()
        if self.is_running or output is None or not self.can_start():
            return
        path, options = self.path, self.options()
        self.result = None
        self.open_button.hide()
        self.run(lambda ctx: run_split(path, output, options, ctx), "Preparing the split…")

    def cancelling_text(self) -> str:
        return "Cancelling: the files written so far are removed…"

    def succeeded(self, result: SplitResult) -> None:
        self.result = result
        self.show_result(f"Split {result.documents:,} documents among {len(result.files)} annotators "
                         f"({result.overlap:,} shared by all) in {result.seconds:.1f} s. Send each annotator their "
                         "file; the assignment is recorded in this project.", result_text(result))
        self.open_button.show()
        self.split_done.emit(result)

    def cancelled(self, _partial: object) -> None:
        self.show_result("Split cancelled: no files were kept and no assignment was recorded.")

    def failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, (SplitError, ProjectError)):
            self.show_result(f"The split was refused; nothing was written: {error}")
        elif isinstance(error, OSError):
            self.show_result(f"The split failed; nothing was kept: {error.strerror or error}: "
                             f"{path_text(str(error.filename or ''))}")
        else:
            self.show_result("The split failed; nothing was kept.", f"{type(error).__name__}: {error}\n\n{trace}")

    def open_folder(self) -> None:
        output = self.output()
        if output is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(output)))
