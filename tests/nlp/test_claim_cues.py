"""Claim proposals from reporting cues: token patterns without a parse, the parse when there is one."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from spacy.tokens import Doc  # noqa: E402

from annotator.nlp.claim_cues import find_claims, sentences  # noqa: E402
from annotator.nlp.cue_text import CueText  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def found(nlp, text, entities=()):
    """(content, cue, claimant) texts of every claim found."""
    out = []
    for claim in find_claims(nlp(text), entities):
        part = lambda r: text[r[0]:r[1]] if r else None  # noqa: E731
        out.append((part(claim.content), part(claim.cue), part(claim.claimant)))
    return out


def ent(text, surface, label):
    start = text.index(surface)
    return (start, start + len(surface), label)


@pytest.mark.parametrize(("text", "entities", "expected"), [
    # X said (that) content.
    ("Anna Berg said that the port will close in May.", [("Anna Berg", "PERSON")],
     [("the port will close in May", "said", "Anna Berg")]),
    ("The ministry said on Tuesday that the port will close.", [],
     [("the port will close", "said", "The ministry")]),
    ("He told reporters that Lisbon would not accept the plan.", [],
     [("Lisbon would not accept the plan", "told", None)]),  # a pronoun is not named
    # The name before an appositive, not the organisation inside it.
    ("Marieke Voorhout, a spokesperson for the Finance Ministry, denied that The Hague had made a threat.",
     [("Marieke Voorhout", "PERSON"), ("Finance Ministry", "ORG")],
     [("The Hague had made a threat", "denied", "Marieke Voorhout")]),
    # A relative clause after the speaker is not the speaker.
    ("One of them, who asked not to be named, said the Netherlands had threatened to block it.", [],
     [("the Netherlands had threatened to block it", "said", "One of them")]),
    # Content, X said.
    ("The plan is dead and buried, officials said.", [], [("The plan is dead and buried", "said", "officials")]),
    ("The plan is dead and buried, said Tomás Reyes.", [("Tomás Reyes", "PERSON")],
     [("The plan is dead and buried", "said", "Tomás Reyes")]),
    # according to
    ("According to two diplomats, the talks collapsed late on Monday.", [],
     [("the talks collapsed late on Monday", "According to", "two diplomats")]),
    ("Reservoirs stood at 23 percent of capacity, according to the water authority.", [("water authority", "ORG")],
     [("Reservoirs stood at 23 percent of capacity", "according to", "water authority")]),
    # Direct quotes, across sentence ends, attribution after or before.
    ("“We support the goal. We want a fair key,” said Marieke Voorhout.", [("Marieke Voorhout", "PERSON")],
     [("We support the goal. We want a fair key", "said", "Marieke Voorhout")]),
    ("“Every quarter of delay costs money,” the analyst said.", [],
     [("Every quarter of delay costs money", "said", "the analyst")]),
    ("Íñiguez told the radio: “We are asking for water.”", [("Íñiguez", "PERSON")],
     [("We are asking for water", "told", "Íñiguez")]),
    # A coordinated second cue has the first one's speaker.
    ("The agriculture ministry said a package was being discussed and denied that it had ignored warnings.", [],
     [("a package was being discussed and denied that it had ignored warnings", "said", "The agriculture ministry"),
      ("it had ignored warnings", "denied", "The agriculture ministry")]),
    # Nothing was claimed.
    ("He declined to say whether the bank would act soon.", [], []),
    ("She did not say when the fund would open.", [], []),
    ("The claims that the port closed are false.", [], []),
])
def test_claim_cues_patterns_without_a_parse(nlp, text, entities, expected):
    spans = [ent(text, surface, label) for surface, label in entities]
    assert found(nlp, text, spans) == expected


def test_claim_cues_denial_noun_and_attribute_values(nlp):
    text = "The agency on Monday rejected claims that a shortage had left children unprotected."
    [claim] = find_claims(nlp(text))
    assert text[slice(*claim.cue)] == "rejected"
    assert text[slice(*claim.content)] == "a shortage had left children unprotected"
    assert dict(claim.values) == {"quote_type": "indirect", "stance": "denies"}
    quoted = find_claims(nlp("“We are ready,” Ana said."))
    assert dict(quoted[0].values)["quote_type"] == "direct"
    mixed = find_claims(nlp("Ana said the talks were “constructive but incomplete” on Monday."))
    assert dict(mixed[0].values)["quote_type"] == "mixed"


def test_claim_cues_offsets_are_code_points_after_astral_text(nlp):
    text = "🇺🇦🌍 Ana Lima said that the vote 🗳️ was fair."
    [claim] = find_claims(nlp(text), [ent(text, "Ana Lima", "PERSON")])
    assert text[slice(*claim.content)] == "the vote 🗳️ was fair"
    assert text[slice(*claim.claimant)] == "Ana Lima"


def test_claim_cues_a_quote_inside_a_sentence_is_not_a_direct_claim(nlp):
    text = "Dr. Belmonte said the region should expect “more winters like this one, not fewer,” and urged the government to act."
    claims = found(nlp, text)
    assert ("more winters like this one, not fewer", "urged", None) not in claims
    assert claims[0][1] == "said"


def test_claim_cues_sentences_split_without_a_pipeline_parser(nlp):
    doc = nlp("Mr. Ng said no. The U.S. agreed.\n\nA new paragraph")
    t = CueText(doc)
    assert [doc[a:b].text.strip() for a, b in sentences(doc, t)] == ["Mr. Ng said no.", "The U.S. agreed.",
                                                                    "A new paragraph"]


def parsed(nlp, words, heads, deps, pos, lemmas):
    return Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 2) + [False, False], heads=heads, deps=deps,
               pos=pos, lemmas=lemmas)


def test_claim_cues_parse_speaker_is_nsubj_content_is_ccomp(nlp):
    doc = parsed(nlp, ["The", "minister", "said", "that", "prices", "will", "rise", "."],
                 [1, 2, 2, 6, 6, 6, 2, 2], ["det", "nsubj", "ROOT", "mark", "nsubj", "aux", "ccomp", "punct"],
                 ["DET", "NOUN", "VERB", "SCONJ", "NOUN", "AUX", "VERB", "PUNCT"],
                 ["the", "minister", "say", "that", "price", "will", "rise", "."])
    [claim] = find_claims(doc)
    text = doc.text
    assert (text[slice(*claim.content)], text[slice(*claim.cue)], text[slice(*claim.claimant)]) == (
        "prices will rise", "said", "The minister")
    assert claim.how == "parse"


def test_claim_cues_parse_xcomp_takes_the_object_along(nlp):
    doc = parsed(nlp, ["Ana", "urged", "ministers", "to", "act", "."], [1, 1, 1, 4, 1, 1],
                 ["nsubj", "ROOT", "dobj", "aux", "xcomp", "punct"], ["PROPN", "VERB", "NOUN", "PART", "VERB", "PUNCT"],
                 ["Ana", "urge", "minister", "to", "act", "."])
    text = doc.text
    [claim] = find_claims(doc, [(0, 3, "PERSON")])
    assert (text[slice(*claim.content)], text[slice(*claim.claimant)]) == ("ministers to act", "Ana")


def test_claim_cues_parse_ignores_verbs_that_report_nothing(nlp):
    doc = parsed(nlp, ["Ana", "ate", "bread", "."], [1, 1, 1, 1], ["nsubj", "ROOT", "dobj", "punct"],
                 ["PROPN", "VERB", "NOUN", "PUNCT"], ["Ana", "eat", "bread", "."])
    assert find_claims(doc) == []
