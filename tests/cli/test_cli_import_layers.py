"""End to end: a multi-annotator Prodigy dataset imported with ``annotator import`` gives each
annotator's layer and status, and ``annotator agreement`` then reports the figures computed here
independently from the file (exact F1 by set intersection, Cohen's kappa with scikit-learn,
Krippendorff's alpha from its coincidence matrix)."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter

from cli_driver import rows, run
from sklearn.metrics import cohen_kappa_score

TEXTS = {
    "t1": "Mara Lind visited Oslo on Monday.",
    "t2": "The Harbour Board met in Bergen.",
    "t3": "Nobody was named in this one.",
    "t4": "Jonas Berg of the Tide Trust spoke in Tromso.",
}


def _at(key: str, words: str, label: str) -> tuple[str, int, int, str]:
    start = TEXTS[key].index(words)
    return key, start, start + len(words), label


# Each annotator's answer per text: (answer, spans). Offsets are found, never typed.
ANSWERS = {
    "alice": {"t1": ("accept", [_at("t1", "Mara Lind", "PERSON"), _at("t1", "Oslo", "GPE")]),
              "t2": ("accept", [_at("t2", "Harbour Board", "ORG"), _at("t2", "Bergen", "GPE")]),
              "t3": ("accept", []),
              "t4": ("accept", [_at("t4", "Jonas Berg", "PERSON"), _at("t4", "Tide Trust", "ORG"),
                                _at("t4", "Tromso", "GPE")])},
    "bob": {"t1": ("accept", [_at("t1", "Mara", "PERSON"), _at("t1", "Oslo", "GPE")]),
            "t2": ("accept", [_at("t2", "Harbour Board", "ORG")]),
            "t3": ("ignore", []),
            "t4": ("accept", [_at("t4", "Jonas Berg", "PERSON"), _at("t4", "Tromso", "GPE")])},
    "carol": {"t1": ("accept", [_at("t1", "Mara Lind", "PERSON"), _at("t1", "Monday", "DATE")]),
              "t2": ("ignore", []),
              "t3": ("accept", []),
              "t4": ("accept", [_at("t4", "Jonas Berg", "PERSON"), _at("t4", "the Tide Trust", "ORG"),
                                _at("t4", "Tromso", "GPE")])},
}


def _dataset(path):
    """As ``prodigy db-out`` writes a multi-annotator session: lines interleaved by text."""
    lines = []
    for key, text in TEXTS.items():
        for who, answers in ANSWERS.items():
            answer, spans = answers[key]
            lines.append({"text": text, "_input_hash": len(lines) // 3, "_task_hash": len(lines),
                          "spans": [{"start": s, "end": e, "label": label} for _, s, e, label in spans],
                          "answer": answer, "_annotator_id": f"ner_news-{who}", "_session_id": f"ner_news-{who}"})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _done(who: str) -> set[str]:
    return {key for key, (answer, _) in ANSWERS[who].items() if answer == "accept"}


def _tokens(text: str) -> list[tuple[int, int]]:
    # These texts are plain ASCII words and a final period: spaCy's tokenizer splits them so too.
    return [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]


def _token_labels(who: str, key: str) -> list[str]:
    spans = ANSWERS[who][key][1]
    return [next((label for _, s, e, label in spans if s < end and start < e), "O")
            for start, end in _tokens(TEXTS[key])]


def _expected_pair(a: str, b: str) -> dict:
    docs = sorted(_done(a) & _done(b))
    spans_a = {s for key in docs for s in ANSWERS[a][key][1]}
    spans_b = {s for key in docs for s in ANSWERS[b][key][1]}
    labels_a = [label for key in docs for label in _token_labels(a, key)]
    labels_b = [label for key in docs for label in _token_labels(b, key)]
    return {"documents": len(docs), "exact_f1": round(2 * len(spans_a & spans_b) / (len(spans_a) + len(spans_b)), 4),
            "kappa_tokens": round(float(cohen_kappa_score(labels_a, labels_b)), 4),
            "counts": (len(spans_a), len(spans_b), len(spans_a & spans_b))}


def _expected_alpha() -> float:
    """Nominal alpha from the coincidence matrix: units are the tokens of texts at least two
    annotators finished; an annotator who did not finish a text is missing there."""
    coincidences: Counter = Counter()
    for key in TEXTS:
        coders = [who for who in ANSWERS if key in _done(who)]
        if len(coders) < 2:
            continue
        for i in range(len(_tokens(TEXTS[key]))):
            values = [_token_labels(who, key)[i] for who in coders]
            for x, y in itertools.permutations(range(len(values)), 2):
                coincidences[values[x], values[y]] += 1 / (len(values) - 1)
    n_c: Counter = Counter()
    for (c, _), weight in coincidences.items():
        n_c[c] += weight
    n = sum(n_c.values())
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    return round(1 - observed / expected, 4)


def test_cli_import_layers_then_agreement_gives_the_hand_figures(tmp_path):
    project = tmp_path / "team.annotator"
    source = _dataset(tmp_path / "ner_news.jsonl")
    result = run("import", project, source)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("4 added, 8 added as annotators' layers of documents already there, "
                                    "0 duplicates, 0 conflicts")
    assert "imported: " in result.stderr and "8 added as layers of documents already there" in result.stderr
    names = [f"ner_news-{who}" for who in ANSWERS]
    assert sorted(r[0] for r in rows(project, "SELECT name FROM annotators")) == names
    # each annotator's status of each text is their answer's
    statuses = rows(project, "SELECT annotators.name, documents.text, annotator_status.status FROM annotator_status"
                             " JOIN annotators ON annotators.id = annotator_status.annotator_id"
                             " JOIN documents ON documents.id = annotator_status.doc_id")
    keys = {text: key for key, text in TEXTS.items()}
    assert {(name, keys[text]): status for name, text, status in statuses} == {
        (f"ner_news-{who}", key): "done" if answer == "accept" else "skipped"
        for who in ANSWERS for key, (answer, _) in ANSWERS[who].items()}

    again = run("import", project, source)
    assert again.exit_code == 0 and again.stdout.startswith("0 added, 12 duplicates, 0 conflicts")

    result = run("agreement", project, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["annotators"] == names
    pairs = {(p["a"], p["b"]): p for p in data["entities"]["pairs"]}
    for a, b in itertools.combinations(ANSWERS, 2):
        got, want = pairs[f"ner_news-{a}", f"ner_news-{b}"], _expected_pair(a, b)
        assert got["documents"] == want["documents"], (a, b)
        assert got["exact_f1"] == want["exact_f1"], (a, b)
        assert got["kappa_tokens"] == want["kappa_tokens"], (a, b)
        assert (got["counts"]["a"], got["counts"]["b"], got["counts"]["matched_exact"]) == want["counts"], (a, b)
    assert data["entities"]["alpha_tokens"] == _expected_alpha()
    # the figures are not degenerate: the test would notice a wrong scope or a lost layer
    assert pairs["ner_news-alice", "ner_news-bob"]["exact_f1"] == round(2 * 4 / (7 + 5), 4)
    assert 0 < data["entities"]["alpha_tokens"] < 1


def test_cli_import_layers_bad_line_refuses_the_file_and_names_it(tmp_path):
    project = tmp_path / "team.annotator"
    assert run("import", project, _dataset(tmp_path / "first.jsonl")).exit_code == 0
    before = {t: rows(project, f"SELECT * FROM {t} ORDER BY 1")
              for t in ("documents", "spans", "annotators", "document_status")}
    lines = _dataset(tmp_path / "bad.jsonl").read_text(encoding="utf-8").splitlines()
    lines.append(json.dumps({"text": "A new text by dave.", "answer": "maybe", "_annotator_id": "ner_news-dave"}))
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", project, bad)
    assert result.exit_code == 2
    assert f"{bad}:13: answer: answer 'maybe' must be accept, reject or ignore" in result.stderr
    assert "Traceback" not in result.output
    assert {t: rows(project, f"SELECT * FROM {t} ORDER BY 1") for t in before} == before
