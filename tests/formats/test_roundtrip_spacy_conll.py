"""Round trips through spaCy DocBin (spans on token edges) and CoNLL (what tokens can hold)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interchange_projects import DOC_LABELS, ClaimSpec, DocSpec, build, new_project, round_trip, snapshot

from annotator.nlp.export_tokens import export_tokens

WORDS = ["Ann", "Lee", "said", "🌍", "👩‍⚕️", "e\u0301té", "שלום", "مرحبا", "U.S.", "don't", "“quoted”", "—", "10%",
         "Zürich", ",", ".", "(", ")", "🇺🇦", "𠀀"]
SEPARATORS = [" ", " ", " ", "\n", "\r\n", "\t", "  ", "\n\n"]
export_tokens("warm up", "en")  # spaCy seeds random when it loads: not inside a strategy


@st.composite
def token_documents(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=14))
    text = words[0] + "".join(draw(st.sampled_from(SEPARATORS)) + w for w in words[1:])
    tokens = [t for t in export_tokens(text, "en") if not text[t[0]:t[1]].isspace()]
    n = len(tokens)
    cuts = sorted(draw(st.sets(st.integers(0, n - 1), max_size=6)))
    entities = [(tokens[a][0], tokens[b][1], draw(st.sampled_from(("PERSON", "ORG", "GPE"))))
                for a, b in zip(cuts[::2], cuts[1::2])]
    ranges = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).map(sorted)
    others = [(tokens[a][0], tokens[b][1], draw(st.sampled_from(("CLAIM", "CUE"))))
              for a, b in draw(st.lists(ranges, max_size=3))]
    spans = list(dict.fromkeys([*entities, *others]))
    claims = []
    for index, span in enumerate(spans):
        if span[2] != "CLAIM":
            continue
        partners = [i for i, s in enumerate(spans) if s[2] not in ("CLAIM", "CUE")]
        claimant = draw(st.one_of(st.none(), st.just("the ministry"), *([st.sampled_from(partners)] if partners else [])))
        cues = [i for i, s in enumerate(spans) if s[2] == "CUE"]
        claims.append(ClaimSpec(index, claimant, "SAID" if isinstance(claimant, int) else None,
                                draw(st.sampled_from(cues)) if cues else None, {"stance": "hedges"}))
    return DocSpec(text, spans, claims, title="T", meta={"id": draw(st.integers(0, 9))},
                   status=draw(st.sampled_from(["done", "todo", "skipped"])),
                   doc_labels=draw(st.lists(st.sampled_from(DOC_LABELS), unique=True)))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(docs=st.lists(token_documents(), min_size=1, max_size=3, unique_by=lambda d: d.text))
def test_roundtrip_spacy_docbin_keeps_everything_on_token_edges(docs):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with new_project(folder / "a.annotator") as project:
            build(project, docs, folder)
            other, result = round_trip(project, folder, "spacy", "spacy", import_format="spacy", dev=0.5)
            with other:
                assert [i for i in result.issues if i.problem == "misaligned"] == []
                assert snapshot(other) == snapshot(project)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(docs=st.lists(token_documents(), min_size=1, max_size=3, unique_by=lambda d: d.text))
def test_roundtrip_conll_keeps_tokens_and_entities(docs):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with new_project(folder / "a.annotator") as project:
            build(project, docs, folder)
            other, result = round_trip(project, folder, "conll", "out.conll")
            with other:
                expected, got = [], []
                for doc in docs:
                    tokens = [doc.text[s:e] for s, e, _ in export_tokens(doc.text, "en") if not doc.text[s:e].isspace()]
                    left_out = {note.split(": span ")[1].split(" ")[0] for note in result.notes
                                if note.startswith("document ") and "overlaps" in note}
                    entities = sorted(s for s in doc.spans if s[2] not in ("CLAIM", "CUE"))
                    entities = [s for s in entities if f"{s[0]}-{s[1]}" not in left_out]
                    spans = export_tokens(doc.text, "en")
                    expected.append((tokens, [([doc.text[a:b] for a, b, _ in spans if s <= a and b <= e
                                                and not doc.text[a:b].isspace()], lab) for s, e, lab in entities]))
                for entry_text, entry in snapshot(other).items():
                    # The rebuilt text joins tokens with single spaces and sentences with line breaks.
                    got.append((entry_text.split(), [(entry_text[s:e].split(), lab) for s, e, lab in entry["spans"]]))
                assert sorted(got) == sorted(expected)
