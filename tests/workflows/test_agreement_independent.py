"""Every agreement figure against an independent computation, on real project files.

The projects are written through the store, as the window writes them; the expected
figures come from scikit-learn (Cohen's κ), the ``krippendorff`` package's public ``alpha``
and NLTK's ``AnnotationTask`` (α, a second implementation), and from the definitions of
docs/agreement.md written out here a second time (token labels, exact and greedy relaxed
matching, claimant, cue and attribute agreement), over spaCy's tokens of the whole text.
"""

from __future__ import annotations

import itertools
import math
import random
import warnings
from collections import Counter

import krippendorff
import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score

from annotator.core.records import DocumentRecord
from annotator.store import Project
from annotator.store.claims import ClaimantLink
from annotator.store.import_writer import ImportWriter, PreparedDocument
from annotator.workflows.agreement import AgreementOptions, compute_agreement
from annotator.workflows.agreement_report import tables

ENTITY = ["PERSON", "ORG", "GPE", "DATE"]
ATTRIBUTES = {"stance": ["asserts", "denies", "hedges"], "quote_type": ["direct", "indirect"]}
WORDS = ["Ana", "Ruiz", "said", "the", "council", "of", "Lima", "would", "meet", "on", "Friday", "—", "don't",
         "U.S.", "prices", "rose", "3.5%", "(", ")", ",", ".", "👩‍⚕️", "Kraków", "e-mail"]
GAPS = [" ", " ", " ", "  ", "\n", " \n ", "\t"]  # white-space tokens, which are not counted
FREE_CLAIMANTS = ["Ana", "Ana Ruiz", "the mayor"]


# --------------------------------------------------------------------------- independent figures
def tokens(text: str) -> list[tuple[int, int]]:
    import spacy

    return [(t.idx, t.idx + len(t)) for t in spacy.blank("en")(text) if not t.is_space]


def token_label(token, spans) -> str:
    """docs/agreement.md: the span covering most of the token; ties: earlier start, longer, label."""
    best, most = "O", 0
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        shared = min(token[1], end) - max(token[0], start)
        if shared > most:
            best, most = label, shared
    return best


def greedy(a, b) -> list[tuple[int, int]]:
    """The relaxed rule, done the slow way: take the best remaining pair until none is left."""
    def shared(i, j):
        return min(a[i][1], b[j][1]) - max(a[i][0], b[j][0])

    left = [(i, j) for i in range(len(a)) for j in range(len(b)) if a[i][2] == b[j][2] and shared(i, j) > 0]
    pairs = []
    while left:
        i, j = min(left, key=lambda p: (-shared(*p), abs(a[p[0]][0] - b[p[1]][0]), min(a[p[0]][0], b[p[1]][0]),
                                        sorted([a[p[0]][:2], b[p[1]][:2]])))
        pairs.append((i, j))
        left = [(x, y) for x, y in left if x != i and y != j]
    return pairs


def f1(matched, size_a, size_b):
    return None if size_a + size_b == 0 else 2 * matched / (size_a + size_b)


def kappa(x, y):
    """scikit-learn's κ; None where it is 0/0 (scikit-learn says nan)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(x, y) if x else math.nan
    return None if math.isnan(value) else float(value)


def alpha(matrix):
    """krippendorff.alpha, checked against NLTK's; None where undefined."""
    values = {v for row in matrix for v in row if v == v}
    if not matrix or not matrix[0] or len(values) < 2:
        return None
    theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    data = [(coder, unit, int(v)) for coder, row in enumerate(matrix) for unit, v in enumerate(row) if v == v]
    assert AnnotationTask(data).alpha() == pytest.approx(theirs, abs=1e-9)
    return theirs


def same(ours, theirs, what):
    if theirs is None:
        assert ours is None, what
    else:
        assert ours == pytest.approx(theirs, abs=1e-9), what


# --------------------------------------------------------------------------- projects
def new_project(path, texts, *, overlapping=True):
    project = Project.create(path)
    if overlapping:
        project.set_setting("allow_overlapping_entities", "1")
    with project.transaction():
        ids = ImportWriter(project, None).write([PreparedDocument(DocumentRecord(t, i + 1))
                                                 for i, t in enumerate(texts)])
    return project, list(ids)


def random_project(path, rng):
    """Random layers of 2-4 annotators: entity spans (overlapping, off token edges, copies of
    another annotator's, relabelled), claims with claimants, cues and values; random done."""
    names = ["ann", "ben", "cat", "dan"][:rng.randint(2, 4)]
    texts = list(dict.fromkeys("".join(rng.choice(WORDS) + rng.choice(GAPS) for _ in range(rng.randint(3, 25)))
                               .strip() + "." for _ in range(rng.randint(2, 5))))
    truth = {w: {d: {"spans": [], "claims": []} for d in range(len(texts))} for w in names}
    done = {w: set() for w in names}

    def some_range(t):
        s = rng.randrange(0, len(t) - 1)
        return s, min(len(t), s + rng.randint(1, 15))

    project, ids = new_project(path, texts)
    with project:
        for w, (d, t) in itertools.product(names, enumerate(texts)):
            mine = truth[w][d]
            others = [x for v in names if v != w for x in truth[v][d]["spans"]]
            for _ in range(rng.randint(0, 5)):
                if others and rng.random() < 0.3:
                    s, e, label = rng.choice(others)
                    label = label if rng.random() < 0.7 else rng.choice(ENTITY)
                else:
                    (s, e), label = some_range(t), rng.choice(ENTITY)
                if (s, e, label) not in mine["spans"]:
                    project.add_span(ids[d], s, e, label, annotator=w)
                    mine["spans"].append((s, e, label))
            other_claims = [c["span"] for v in names if v != w for c in truth[v][d]["claims"]]
            for _ in range(rng.randint(0, 2)):
                s, e = some_range(t)
                if other_claims and rng.random() < 0.4:
                    s, e, _ = rng.choice(other_claims)
                    s = max(0, s + rng.choice([0, 0, 1, -1]))
                if e <= s or (s, e, "CLAIM") in [c["span"] for c in mine["claims"]]:
                    continue
                values = {k: rng.choice(v) for k, v in ATTRIBUTES.items() if rng.random() < 0.7}
                made = project.add_claim(ids[d], s, e, "CLAIM", annotator=w, values=values)
                claim = {"span": (s, e, "CLAIM"), "values": {"verdict": "unverified", **values},
                         "claimant": None, "text": None, "cue": None}
                linkable = [x for x in project.layer_spans(ids[d], w) if x.label in ENTITY]
                if linkable and rng.random() < 0.4:
                    x = rng.choice(linkable)
                    project.set_claimant(made.id, ClaimantLink(span_id=x.id))
                    claim["claimant"] = (x.start, x.end)
                elif rng.random() < 0.5:
                    claim["text"] = rng.choice(FREE_CLAIMANTS)
                    project.set_claimant(made.id, ClaimantLink(text=claim["text"]))
                cs, ce = some_range(t)
                if rng.random() < 0.5 and (cs, ce) not in [c["cue"] for c in mine["claims"]]:
                    project.set_cue(made.id, project.add_span(ids[d], cs, ce, "CUE", annotator=w).id)
                    claim["cue"] = (cs, ce)
                mine["claims"].append(claim)
            if rng.random() < 0.7:
                project.set_status(ids[d], "done", annotator=w)
                done[w].add(d)
        if rng.random() < 0.5:
            project.merge_claimants(["Ana"], "Ana Ruiz")
        aliases = project.claimant_aliases()
    return names, texts, truth, done, aliases


def check_against_independent(path, names, texts, truth, done, aliases):
    with Project.open(path) as project:
        result = compute_agreement(project, AgreementOptions(annotators=tuple(names)))
    figures = result.figures
    words = [tokens(t) for t in texts]
    canonical = {None: None, **{n: aliases.get(n, n) for n in FREE_CLAIMANTS}}

    def overlap(x, y):
        return x is not None and y is not None and min(x[1], y[1]) - max(x[0], y[0]) > 0

    entity_pairs = {(p.a, p.b): p for p in figures.entity_pairs}
    claim_pairs = {(p.a, p.b): p for p in figures.claim_pairs}
    for a, b in itertools.combinations(names, 2):
        docs = sorted(done[a] & done[b])
        pair, claims = entity_pairs[(a, b)], claim_pairs[(a, b)]
        assert pair.documents == claims.documents == len(docs)
        for label in [None, *ENTITY]:
            def spans(w, d):
                return [s for s in truth[w][d]["spans"] if label is None or s[2] == label]
            size_a, size_b = (sum(len(spans(w, d)) for d in docs) for w in (a, b))
            exact = sum(sum((Counter(spans(a, d)) & Counter(spans(b, d))).values()) for d in docs)
            relaxed = sum(len(greedy(spans(a, d), spans(b, d))) for d in docs)
            ours = pair if label is None else next(x for x in pair.labels if x.label == label)
            same(ours.exact_f1, f1(exact, size_a, size_b), f"{a}/{b} {label} exact F1")
            same(ours.relaxed_f1, f1(relaxed, size_a, size_b), f"{a}/{b} {label} relaxed F1")
        x = [token_label(t, truth[a][d]["spans"]) for d in docs for t in words[d]]
        y = [token_label(t, truth[b][d]["spans"]) for d in docs for t in words[d]]
        assert pair.tokens == len(x)
        same(pair.kappa_tokens, kappa(x, y), f"{a}/{b} token kappa")
        # claims: content F1, then claimant, cue and attributes over the relaxed matches
        matched = []
        exact = 0
        for d in docs:
            ca, cb = truth[a][d]["claims"], truth[b][d]["claims"]
            exact += sum((Counter(c["span"] for c in ca) & Counter(c["span"] for c in cb)).values())
            matched += [(ca[i], cb[j]) for i, j in greedy([c["span"] for c in ca], [c["span"] for c in cb])]
        size_a, size_b = (sum(len(truth[w][d]["claims"]) for d in docs) for w in (a, b))
        same(claims.exact_f1, f1(exact, size_a, size_b), f"{a}/{b} claim exact F1")
        same(claims.relaxed_f1, f1(len(matched), size_a, size_b), f"{a}/{b} claim relaxed F1")
        claimant = [overlap(u["claimant"], v["claimant"]) if u["claimant"] and v["claimant"]
                    else not u["claimant"] and not v["claimant"] and canonical[u["text"]] == canonical[v["text"]]
                    for u, v in matched]
        cue = [overlap(u["cue"], v["cue"]) if u["cue"] and v["cue"] else not u["cue"] and not v["cue"]
               for u, v in matched]
        same(claims.claimant_agreement, sum(claimant) / len(matched) if matched else None, "claimant")
        same(claims.cue_agreement, sum(cue) / len(matched) if matched else None, "cue")
        for attribute in claims.attributes:
            both = [(u["values"][attribute.name], v["values"][attribute.name]) for u, v in matched
                    if u["values"].get(attribute.name) and v["values"].get(attribute.name)]
            assert attribute.n == len(both)
            same(attribute.agreement, sum(p == q for p, q in both) / len(both) if both else None, attribute.name)
            same(attribute.kappa, kappa([p for p, _ in both], [q for _, q in both]), f"{attribute.name} kappa")
    # alpha: every token of every document at least two marked done; missing where not done
    in_scope = [d for d in range(len(texts)) if sum(d in done[w] for w in names) >= 2]
    codes = {label: code for code, label in enumerate(["O", *ENTITY])}
    matrix = [[codes[token_label(t, truth[w][d]["spans"])] if d in done[w] else np.nan
               for d in in_scope for t in words[d]] for w in names]
    assert figures.tokens == sum(len(words[d]) for d in in_scope)
    same(result.alpha_tokens, alpha(matrix) if in_scope else None, "alpha")
    return result


# --------------------------------------------------------------------------- tests
@pytest.mark.parametrize("seed", range(10))
def test_agreement_independent_random_projects(tmp_path, seed):
    path = tmp_path / "random.annotator"
    layers = random_project(path, random.Random(seed))
    check_against_independent(path, *layers)


@pytest.mark.parametrize("kind", ["entity", "claim"])
def test_agreement_independent_relaxed_ties_follow_text_not_insertion_or_annotator_order(tmp_path, kind):
    # ann: (3,13) and (3,7); cat: (2,7) and (12,14). (3,13)-(2,7) and (3,7)-(2,7) tie (overlap 4,
    # start difference 1, earlier start 2); text order takes (3,7)-(2,7), then (3,13)-(12,14)
    # matches too: 2 matched, relaxed F1 2·2/(2+2) = 1 whatever order the spans were made in
    # and whichever annotator is named first. It used to follow the order of the stored rows.
    text = "An example sentence that is long enough."
    ann, cat = [(3, 13), (3, 7)], [(2, 7), (12, 14)]
    for number, (first, names) in enumerate(itertools.product([ann, ann[::-1]], [("ann", "cat"), ("cat", "ann")])):
        path = tmp_path / f"tie{number}.annotator"
        project, [doc] = new_project(path, [text])
        with project:
            for who, spans in (("ann", first), ("cat", cat)):
                for s, e in spans:
                    if kind == "claim":
                        project.add_claim(doc, s, e, "CLAIM", annotator=who)
                    else:
                        project.add_span(doc, s, e, "PERSON", annotator=who)
                project.set_status(doc, "done", annotator=who)
        with Project.open(path) as opened:
            figures = compute_agreement(opened, AgreementOptions(annotators=names)).figures
        pair = figures.claim_pairs[0] if kind == "claim" else figures.entity_pairs[0]
        matched = pair.matched if kind == "claim" else pair.matched_relaxed
        assert (matched, pair.relaxed_f1) == (2, 1.0) == (len(greedy([(*s, "X") for s in first],
                                                                     [(*s, "X") for s in cat])), 1.0)


def test_agreement_independent_token_tie_on_the_same_characters_follows_the_label(tmp_path):
    # ann tagged "Porto" both GPE and ORG (overlapping entities allowed), ben GPE. The token
    # takes GPE (label order) whichever ann made first: κ and α are 1 (they were 0.43 and 0.46
    # when ORG was stored first).
    text = "Porto is calm."
    for order in (("ORG", "GPE"), ("GPE", "ORG")):
        path = tmp_path / f"{order[0]}.annotator"
        project, [doc] = new_project(path, [text])
        with project:
            for label in order:
                project.add_span(doc, 0, 5, label, annotator="ann")
            project.add_span(doc, 0, 5, "GPE", annotator="ben")
            for who in ("ann", "ben"):
                project.set_status(doc, "done", annotator=who)
        truth = {"ann": {0: {"spans": [(0, 5, label) for label in order], "claims": []}},
                 "ben": {0: {"spans": [(0, 5, "GPE")], "claims": []}}}
        result = check_against_independent(path, ["ann", "ben"], [text], truth, {"ann": {0}, "ben": {0}}, {})
        assert (result.figures.entity_pairs[0].kappa_tokens, result.alpha_tokens) == (1.0, 1.0)


def test_agreement_independent_summary_n_is_the_pairs_a_mean_averages(tmp_path):
    # ann and ben tag nothing in the one document all three marked done (their spans elsewhere
    # are in a document they did not finish); cat tags "Ana". ann/ben: F1 and κ undefined
    # (0/0); ann/cat and ben/cat: F1 0 and κ 0. The means average 2 pairs, and summary.csv says 2.
    texts = ["Ana met the council.", "Bo was away."]
    path = tmp_path / "means.annotator"
    project, ids = new_project(path, texts)
    with project:
        for who in ("ann", "ben"):
            project.add_span(ids[1], 0, 2, "PERSON", annotator=who)
        project.add_span(ids[0], 0, 3, "PERSON", annotator="cat")
        for who in ("ann", "ben", "cat"):
            project.set_status(ids[0], "done", annotator=who)
    truth = {"ann": {0: {"spans": [], "claims": []}}, "ben": {0: {"spans": [], "claims": []}},
             "cat": {0: {"spans": [(0, 3, "PERSON")], "claims": []}}}
    result = check_against_independent(path, ["ann", "ben", "cat"], texts[:1], truth,
                                       {"ann": {0}, "ben": {0}, "cat": {0}}, {})
    assert kappa(["O"] * 4, ["O"] * 4) is None and kappa(["O"] * 4, ["PERSON", "O", "O", "O"]) == 0.0
    summary = {row[:2]: row[2:] for row in tables(result)["summary"].rows}
    assert summary[("entity", "mean_kappa_tokens")] == (0.0, 2, "pairs")
    assert summary[("entity", "mean_exact_f1")] == (0.0, 2, "pairs")
    assert summary[("claim", "mean_relaxed_f1")] == (None, 0, "pairs")  # no claims: no pair has it


def test_agreement_independent_dashboard_label_means_count_the_pairs_they_average(tmp_path):
    from agreement_projects import build

    from annotator.core.dashboard import DashboardFilter
    from annotator.workflows.dashboard_agreement import agreement_charts, dashboard_agreement

    # Only bob used LOC (Lima): alice/bob LOC F1 2·0/(0+1) = 0, bob/carol 0, alice/carol
    # undefined (neither used it). The mean is 0 over 2 pairs; PERSON is over all 3:
    # alice/bob 1, alice/carol and bob/carol 0 (Ana Ruiz / Dr Ana Ruiz): 1/3.
    path = tmp_path / "team.annotator"
    build(path)
    with Project.open(path) as project:
        _, by_label = agreement_charts(dashboard_agreement(project, DashboardFilter()))
    rows = {row[0]: row[1:] for row in by_label.rows}
    assert rows["LOC"] == (0.0, 0.0, 2)
    assert rows["PERSON"] == (round(1 / 3, 4), 1.0, 3)
    assert rows["MONEY"] == (None, None, 0)


def test_agreement_independent_an_annotator_who_tagged_nothing_is_compared_by_default(tmp_path):
    # dan marked both documents done and found nothing to tag: every token O for him. He has
    # no layer, and the default used to leave him out, reporting only ann/ben's agreement.
    texts = ["Ana met the council.", "Bo was in Lima."]
    path = tmp_path / "empty.annotator"
    project, ids = new_project(path, texts)
    spans = {"ann": {0: [(0, 3, "PERSON")], 1: [(0, 2, "PERSON"), (10, 14, "GPE")]},
             "ben": {0: [(0, 3, "PERSON")], 1: [(10, 14, "GPE")]}, "dan": {0: [], 1: []}}
    with project:
        project.add_annotator("dan", separate_status=True)
        for who, layer in spans.items():
            for d, rows in layer.items():
                for s, e, label in rows:
                    project.add_span(ids[d], s, e, label, annotator=who)
                project.set_status(ids[d], "done", annotator=who)
    truth = {w: {d: {"spans": rows, "claims": []} for d, rows in layer.items()} for w, layer in spans.items()}
    result = check_against_independent(path, ["ann", "ben", "dan"], texts, truth,
                                       {w: {0, 1} for w in spans}, {})
    with Project.open(path) as project:
        default = compute_agreement(project)
    assert default.annotators == ("ann", "ben", "dan")
    assert default.alpha_tokens == pytest.approx(result.alpha_tokens, abs=1e-12)
    assert [p.kappa_tokens for p in default.figures.entity_pairs] == [
        p.kappa_tokens for p in result.figures.entity_pairs]
