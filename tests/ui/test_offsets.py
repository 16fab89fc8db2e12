"""The code-point <-> Qt position map, checked against what Qt really does with the text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

from annotator.ui.common.offsets import OffsetMap, block_starts, qt_string, set_document_text

PARAGRAPH_BREAKS = "\r\n\u2029\ufdd0\ufdd1"


def qt_units(document: QTextDocument) -> bytes:
    """The document's text as UTF-16 code units (2 bytes each), as Qt counts positions."""
    return document.toRawText().encode("utf-16-le", "surrogatepass")


def shown_as(text: str, i: int) -> str:
    """What code point ``i`` of ``text`` becomes in a QTextDocument (measured behaviour)."""
    char = text[i]
    if char == "\r" and text[i + 1:i + 2] == "\n":
        return ""
    if char in PARAGRAPH_BREAKS:
        return "\u2029"
    return char


def check_against_qt(text: str) -> None:
    document = QTextDocument()
    set_document_text(document, text)
    units = qt_units(document)
    mapping = OffsetMap(text)
    assert mapping.qt_length == len(units) // 2 == document.characterCount() - 1
    for i in range(len(text)):
        a, b = mapping.to_qt(i), mapping.to_qt(i + 1)
        assert units[2 * a:2 * b].decode("utf-16-le", "surrogatepass") == shown_as(text, i), (text, i)
    blocks, block = [], document.firstBlock()
    while block.isValid():
        blocks.append(block.position())
        block = block.next()
    assert block_starts(text, mapping) == blocks
    for i in range(len(text) + 1):
        inside_crlf = 0 < i < len(text) and text[i - 1] == "\r" and text[i] == "\n"
        assert mapping.from_qt(mapping.to_qt(i)) == (i - 1 if inside_crlf else i), (text, i)


CASES = {
    "ascii": "Plain ASCII text.",
    "emoji": "A 😀 smile and 🎉 party",
    "flag": "Flags 🇵🇹🇰🇪 follow",
    "zwj family": "The 👩‍👩‍👧‍👦 family and 🧑🏽‍💻 coder",
    "combining": "Cafe\u0301 and n\u0303 and e\u0301\u0302\u0323 stacked",
    "crlf": "First line\r\nsecond line\r\n\r\nthird",
    "lone cr": "Old Mac\rline\rends",
    "mixed breaks": "a\r\r\nb\n\rc\r\n",
    "line separator": "One\u2028two\u2029three",
    "control separators": "vt\x0bff\x0cnel\x85end",
    "frame chars": "x\ufdd0y\ufdd1z",
    "rtl": "Hebrew שלום עולם and Arabic مرحبا بالعالم end",
    "rtl with emoji": "مرحبا 😀 بالعالم\r\nשלום",
    "cjk ext b": "𠀀𠀁 rare 𪚥 characters",
    "leading zwnbsp": "\ufeffstarts with a zero-width no-break space",
    "leading fffe": "\ufffe noncharacter first",
    "empty": "",
    "only crlf": "\r\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_offsets_map_matches_qt(text, qapp):
    check_against_qt(text)


def test_offsets_emoji_counts_two_positions(qapp):
    mapping = OffsetMap("a😀b")
    assert [mapping.to_qt(i) for i in range(4)] == [0, 1, 3, 4]
    assert [mapping.from_qt(p) for p in range(5)] == [0, 1, 1, 2, 3]
    assert mapping.from_qt(2, round_up=True) == 2  # inside the pair: the character's end
    assert mapping.from_qt_range(2, 2) == (1, 2)


def test_offsets_crlf_takes_one_position(qapp):
    mapping = OffsetMap("ab\r\ncd")
    assert [mapping.to_qt(i) for i in range(7)] == [0, 1, 2, 2, 3, 4, 5]
    assert [mapping.from_qt(p) for p in range(6)] == [0, 1, 2, 4, 5, 6]
    assert not mapping.identity and OffsetMap("plain").identity


def test_offsets_out_of_range_is_an_error(qapp):
    mapping = OffsetMap("abc")
    with pytest.raises(ValueError):
        mapping.to_qt(4)
    with pytest.raises(ValueError):
        mapping.from_qt(-1)


@pytest.mark.parametrize("text", ["\ufeffab", "\ufffeab", "\ufeff\ufeffab", "ab"])
def test_offsets_qt_string_survives_pyside_bom_handling(text, qapp):
    edit = QPlainTextEdit()
    edit.setPlainText(qt_string(text))
    assert edit.document().toRawText() == text


@pytest.mark.parametrize("text", [CASES["zwj family"], CASES["crlf"], CASES["rtl with emoji"], CASES["flag"]])
def test_offsets_a_qt_selection_is_the_code_points_the_user_saw(text, qapp):
    """Select every visible word with a QTextCursor; its code-point range holds that word."""
    document = QTextDocument()
    set_document_text(document, text)
    mapping = OffsetMap(text)
    cursor = QTextCursor(document)
    while not cursor.atEnd():
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
        start, end = mapping.from_qt_range(cursor.selectionStart(), cursor.selectionEnd())
        shown = cursor.selectedText().replace("\u2029", "\n")
        stored = text[start:end].replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n")
        assert stored == shown
        cursor.clearSelection()


piece = st.one_of(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    st.sampled_from(["\r\n", "\r", "\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\ufeff", "\ufffe",
                     "😀", "🇵🇹", "👩‍👧", "e\u0301", "ש", "م", "\ufdd0", "𠀀"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(piece, max_size=40).map("".join))
def test_offsets_round_trip_every_code_point_boundary(qapp, text):
    check_against_qt(text)
