"""The import's span-set check: its one-pass fast path never hides a duplicate or a conflict.

``check_span_set`` answers "no problem" after one pass when entity spans come in text order;
everything else goes to the full check. Compared here with the full check on any span list.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.records import DocumentRecord, SpanRecord, _span_set_problems, check_span_set

LABELS = ("A", "B", "CLAIM")


@st.composite
def records(draw):
    raw = draw(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.sampled_from(LABELS)), max_size=8))
    # Sometimes in text order (the fast path's case), sometimes as drawn.
    if draw(st.booleans()):
        raw.sort()
    # Mostly well-formed spans, as the readers hand over; sometimes empty or reversed ones too.
    if draw(st.integers(0, 3)):
        raw = [(s, e, lab) for s, e, lab in raw if s < e]
    spans = [SpanRecord(s, e, lab, f"spans[{i}]") for i, (s, e, lab) in enumerate(raw)]
    return DocumentRecord("x" * 12, 5, spans=spans)


@settings(max_examples=500, deadline=None)
@given(record=records(), entity_labels=st.sampled_from([None, frozenset({"A", "B"}), frozenset({"A"})]),
       allow_overlap=st.booleans())
def test_importing_span_set_fast_path_matches_full_check(record, entity_labels, allow_overlap):
    assert check_span_set("f", record, entity_labels, allow_overlap) == \
        _span_set_problems("f", record, record.spans, entity_labels, allow_overlap)


def test_importing_span_set_ordered_duplicate_and_nested_found():
    spans = [SpanRecord(0, 4, "A", "spans[0]"), SpanRecord(0, 4, "A", "spans[1]"),
             SpanRecord(5, 12, "B", "spans[2]"), SpanRecord(6, 7, "B", "spans[3]"),
             SpanRecord(0, 12, "CLAIM", "spans[4]"), SpanRecord(0, 12, "CLAIM", "spans[5]")]

    problems = check_span_set("f", DocumentRecord("x" * 12, 2, spans=spans), frozenset({"A", "B"}), False)

    assert [(p.field, p.message.split()[0]) for p in problems] == [
        ("spans[1]", "duplicate"), ("spans[5]", "duplicate"), ("spans[3]", "entity")]
