"""ExportDocument -> Doc: what goes into doc.ents, doc.spans and doc.cats, and every span that
does not go where its label says is reported (strict, contract, expand; overlaps; white space)."""

from __future__ import annotations

import pytest

from annotator.core.export import ExportDocument
from annotator.core.model import Claim, Document, Span
from annotator.nlp.docbin import DocBinSettings, ShardResult, build_doc, write_shard

KINDS = (("PERSON", "entity"), ("ORG", "entity"), ("CLAIM", "claim"), ("CUE", "role"), ("TOPIC", "doc"))


def _doc(text: str, spans: list[tuple[int, int, str]], *, claims=(), doc_labels=(), doc_id: int = 1):
    made = tuple(Span(doc_id, s, e, label, text[s:e], id=i + 1) for i, (s, e, label) in enumerate(spans))
    return ExportDocument(Document(doc_id, text, "hash", title="T"), made,
                          tuple(claim(made) for claim in claims), tuple(doc_labels))


def _build(doc, alignment="strict", doc_labels=("TOPIC",)):
    result = ShardResult()
    sdoc = build_doc(doc, DocBinSettings("en", alignment, doc_labels, KINDS), result)
    return sdoc, result


def test_docbin_alignment_layers_ents_claims_sc_and_cats():
    text = "Ann Lee said the sky is green."
    doc = _doc(text, [(0, 7, "PERSON"), (8, 12, "CUE"), (13, 29, "CLAIM")],
               claims=[lambda s: Claim(1, s[2], claimant=s[0], cue=s[1], values={"stance": "asserts"})],
               doc_labels=("TOPIC",))
    sdoc, result = _build(doc)
    assert [(e.text, e.label_) for e in sdoc.ents] == [("Ann Lee", "PERSON")]
    assert [(s.text, s.label_) for s in sdoc.spans["claims"]] == [("the sky is green", "CLAIM")]
    assert [s.label_ for s in sdoc.spans["sc"]] == ["PERSON", "CUE", "CLAIM"]
    assert sdoc.cats == {"TOPIC": 1.0}
    claims = sdoc.user_data["annotator"]["claims"]
    assert claims[0]["claimant"]["text"] == "Ann Lee" and claims[0]["cue"]["text"] == "said"
    assert claims[0]["attributes"] == {"stance": "asserts"} and result.issues == []


def test_docbin_alignment_strict_reports_and_marks_tokens_missing():
    text = "Annabel met Bob."
    sdoc, result = _build(_doc(text, [(0, 3, "PERSON"), (12, 15, "PERSON")]))
    assert [e.text for e in sdoc.ents] == ["Bob"]
    (issue,) = result.issues
    assert (issue.start, issue.end, issue.label, issue.text, issue.problem) == (0, 3, "PERSON", "Ann", "misaligned")
    assert "left out" in issue.detail and "document 1 (T)" in str(issue)
    # "Annabel" is missing for NER (never taught as O); the rest is O.
    assert [t.ent_iob_ for t in sdoc] == ["", "O", "B", "O"]
    assert [s.text for s in sdoc.spans["sc"]] == ["Bob"]


@pytest.mark.parametrize("mode, expected", [("contract", None), ("expand", "Annabel")])
def test_docbin_alignment_contract_expand_adjust_and_report(mode, expected):
    text = "Annabel met Bob Lee."
    sdoc, result = _build(_doc(text, [(0, 3, "PERSON"), (12, 18, "PERSON")]), alignment=mode)
    ents = [e.text for e in sdoc.ents]
    problems = sorted((i.problem, i.start) for i in result.issues)
    if expected is None:  # contract: no token inside "Ann" -> still left out, and said so
        assert ents == ["Bob"] and problems == [("adjusted", 12), ("misaligned", 0)]
    else:
        assert ents == ["Annabel", "Bob Lee"] and problems == [("adjusted", 0), ("adjusted", 12)]
    adjusted = next(i for i in result.issues if i.start == 12)
    assert (adjusted.aligned_start, adjusted.aligned_end) == ((12, 15) if mode == "contract" else (12, 19))


def test_docbin_alignment_overlapping_entities_go_to_spans_only():
    text = "New York City Council met."
    sdoc, result = _build(_doc(text, [(0, 13, "ORG"), (4, 21, "ORG"), (22, 25, "PERSON")]))
    assert [e.text for e in sdoc.ents] == ["met"]
    assert sorted(i.problem for i in result.issues) == ["overlapping entity", "overlapping entity"]
    assert [t.ent_iob_ for t in sdoc][:4] == ["", "", "", ""]  # missing, not O
    assert len(sdoc.spans["sc"]) == 3


def test_docbin_alignment_white_space_entity_is_reported():
    text = "Ann\n\nBob"
    sdoc, result = _build(_doc(text, [(0, 5, "PERSON"), (5, 8, "PERSON")]))
    assert [e.text for e in sdoc.ents] == ["Bob"]
    assert [i.problem for i in result.issues] == ["white-space entity"]


def test_docbin_alignment_text_longer_than_max_length_still_exports(tmp_path, monkeypatch):
    from annotator.nlp import tokens

    tokenizer = tokens.tokenizer("en")
    text = "word " * 300_000 + "Ann"  # 1.5 M characters: over spaCy's default nlp.max_length (1,000,000)
    sdoc, result = _build(_doc(text, [(len(text) - 3, len(text), "PERSON")]))
    assert sdoc.ents[0].text == "Ann" and len(sdoc) == 300_001
    assert tokenizer is tokens.tokenizer("en")


def test_docbin_alignment_write_shard_splits_files(tmp_path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    docs = [("train", _doc("Ann met Bob.", [(0, 3, "PERSON")], doc_id=1)),
            ("dev", _doc("Bob met Ann.", [(8, 11, "PERSON")], doc_id=2)),
            ("train", _doc("Nobody.", [], doc_id=3))]
    result = write_shard(docs, DocBinSettings("en", "strict", (), KINDS), str(tmp_path), 7)
    assert sorted(result.files) == [str(tmp_path / "dev" / "00007.spacy"), str(tmp_path / "train" / "00007.spacy")]
    assert result.documents == {"train": 2, "dev": 1} and result.entities["dev"] == {"PERSON": 1}
    loaded = list(DocBin().from_disk(tmp_path / "train" / "00007.spacy").get_docs(Vocab()))
    assert [d.text for d in loaded] == ["Ann met Bob.", "Nobody."]
    assert loaded[0].user_data["annotator"]["id"] == 1 and [e.text for e in loaded[0].ents] == ["Ann"]


def test_docbin_alignment_meta_msgpack_cannot_hold_is_kept_as_json(tmp_path):
    from annotator.nlp.docbin_import import read_docbin

    doc = ExportDocument(Document(1, "Ann met Bob.", "h", title="T", meta={"big": 10**30, "n": [1, 2]}),
                         (Span(1, 0, 3, "PERSON", "Ann", id=1),))
    write_shard([("train", doc)], DocBinSettings("en", "strict", (), KINDS), str(tmp_path), 1)
    (record,) = list(read_docbin(tmp_path / "train" / "00001.spacy"))
    assert record.meta == {"big": 10**30, "n": [1, 2]} and record.title == "T"
