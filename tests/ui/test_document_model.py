from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGuiNamespace

from annotator.core.records import DocumentRecord
from annotator.store.import_writer import ImportWriter, PreparedDocument
from annotator.ui.views.document_model import DocumentIdRole, DocumentListModel, StatusRole
from annotator.ui.window.main_window import MainWindow

from ui_projects import write_documents

DOCS = [
    ("Lisbon talks end", "LISBON — Finance ministers failed to agree.", "done"),
    ("", "Untitled wire item with\nseveral   words on lines", "todo"),
    ("Port strike", "ROTTERDAM — Dock workers returned.", "skipped"),
    ("<b>x</b>", "<script>alert(1)</script>", "todo"),
]


@pytest.fixture
def model(make_project, qapp):
    return DocumentListModel(make_project(DOCS))


def test_document_model_passes_qtmodeltester(model, qtmodeltester):
    qtmodeltester.check(model)


@pytest.mark.parametrize("status", ["todo", "done", "skipped"])
def test_document_model_passes_qtmodeltester_when_filtered(model, qtmodeltester, status):
    model.set_status_filter(status)
    qtmodeltester.check(model)


def test_document_model_display_marks_status_and_falls_back_to_snippet(model):
    rows = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert rows[0] == "✓  Lisbon talks end"
    assert rows[1] == "○  Untitled wire item with several words on lines"
    assert rows[2] == "–  Port strike"
    assert rows[3] == "○  <b>x</b>"


def test_document_model_roles_give_id_and_status(model):
    ids = [model.index(row, 0).data(DocumentIdRole) for row in range(4)]
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert [model.index(row, 0).data(StatusRole) for row in range(4)] == ["done", "todo", "skipped", "todo"]
    assert model.document_id(2) == ids[2]
    assert model.cached_row_of(ids[3]) == 3


def test_document_model_tooltip_is_plain_text(model):
    tooltip = model.index(3, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>x</b>" in tooltip and "<script>alert(1)</script>" in tooltip
    assert not QtGuiNamespace.mightBeRichText(tooltip)  # Qt would otherwise render the title as HTML
    assert tooltip.startswith("Document 4 · to do\n")


def test_document_model_status_filter_and_reload(model, qtbot):
    assert model.rowCount() == 4
    with qtbot.waitSignal(model.modelReset):
        model.set_status_filter("todo")
    assert model.rowCount() == 2
    assert {model.index(r, 0).data(StatusRole) for r in range(2)} == {"todo"}
    model.set_status_filter(None)
    assert model.rowCount() == 4
    write_documents(model._project, [("New one", "Arrived later.")])
    assert model.rowCount() == 4  # cached until told
    model.reload()
    assert model.rowCount() == 5
    assert model.index(4, 0).data() == "○  New one"


def test_document_model_out_of_range_rows_are_empty(model):
    assert model.data(model.index(10, 0)) is None
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.summary(-1) is None


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    from annotator.store import Project

    project = Project.create(tmp_path_factory.mktemp("big") / "big.annotator")
    with project.transaction():
        ImportWriter(project, None).write(
            [PreparedDocument(DocumentRecord(text=f"doc {i}", line=i + 1)) for i in range(100_000)]
        )
    yield project
    project.close()


@pytest.fixture
def summary_calls(big_project, monkeypatch):
    calls: list[tuple[int, int, str | None]] = []
    real = big_project.document_summaries

    def spy(offset, limit, status=None, annotator=None, assigned=None):
        calls.append((offset, limit, status))
        return real(offset, limit, status, annotator=annotator, assigned=assigned)

    monkeypatch.setattr(big_project, "document_summaries", spy)
    return calls


def test_document_model_reads_100k_documents_by_pages(big_project, summary_calls, qapp):
    model = DocumentListModel(big_project)
    assert model.rowCount() == 100_000
    assert model.index(0, 0).data() == "○  doc 0"
    assert model.index(99_999, 0).data() == "○  doc 99999"
    assert model.index(0, 0).data(DocumentIdRole) is not None
    assert len(summary_calls) == 2
    assert all(limit <= 500 for _, limit, _ in summary_calls)


def test_document_model_main_window_opens_100k_documents_without_reading_them_all(
    big_project, summary_calls, qtbot
):
    window = MainWindow(big_project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.document_list.scrollToBottom()
    qtbot.wait(10)
    assert window.status.position_label.text() == "document 1 of 100,000"
    assert len(summary_calls) <= 4


def test_document_model_lists_given_ids_in_their_order_by_pages(make_project, qapp, qtmodeltester):
    project = make_project(DOCS)
    model = DocumentListModel(project, page_size=2)
    every = [model.document_id(row) for row in range(model.rowCount())]
    order = [every[3], every[0], every[2]]
    model.set_status_filter("todo")  # an id order lists what it lists: the SQL filters rest
    model.set_id_order(order)
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and [model.document_id(row) for row in range(3)] == order
    assert model.index(1, 0).data(StatusRole) == "done" and model.row_of(every[2]) == 2
    assert model.row_of(every[1]) is None and model.summary(3) is None
    model.set_id_order(None)
    assert model.rowCount() == 2  # "todo" again
