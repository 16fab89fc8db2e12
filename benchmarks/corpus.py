"""Deterministic synthetic news corpus for benchmarks, written as Prodigy JSONL.

    python benchmarks/corpus.py 100000 /tmp/corpus.jsonl --seed 1

Each article is ~600 words in paragraphs (``\\n\\n``) with ~20 non-overlapping entity spans
(PERSON, ORG, GPE, LOC, NORP, DATE, MONEY, EVENT) and 2-4 CLAIM spans, each covering an
attributed or quoted clause (a claim may contain entity spans). Texts contain accented
letters, curly quotes, em dashes and astral emoji (some of them ZWJ sequences) *before*
labelled spans, so code-point offsets are exercised. Offsets are code points, end
exclusive, computed with ``len()`` while the text is assembled piece by piece: no search,
no per-character loop.

The output depends only on ``n`` and ``seed`` (``random.Random(seed)``), records are
produced one at a time and written as they are produced (the corpus is never held in memory).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "MONEY", "EVENT")

# --------------------------------------------------------------------------- word lists

FIRST_NAMES = (
    "José", "Zoë", "Amélie", "Søren", "Małgorzata", "Ngozi", "François", "Ana María", "Chidi",
    "Inés", "Tomás", "Björn", "Léa", "Karim", "Halima", "Marieke", "Andrés", "Patricia", "Yusuf",
    "Mei", "Rafael", "Ingrid", "Oluwaseun", "Chloé", "Matthias", "Priya", "Dmitri", "Aoife",
    "Joaquín", "Hélène", "Kwame", "Sigríður", "Lucía", "Émile", "Fatima", "Jürgen", "Noémie",
    "Samuel", "Claudia", "Ramón", "Agnieszka", "Thandiwe", "Nikolaos", "Camille", "Hiroshi",
)
SURNAMES = (
    "Núñez", "Mwangi", "Laurent", "Kjær", "Wiśniewska", "Okafor", "Dubois", "Ortíz", "Eze",
    "Belmonte", "Reyes", "Lindqvist", "Moreau", "Haddad", "Abdi", "Voorhout", "Salinas",
    "Oyarzún", "Demir", "Zhang", "Ferreira", "Halvorsen", "Adeyemi", "Lefèvre", "Brückner",
    "Iyer", "Volkov", "Ní Bhriain", "Ibáñez", "Côté", "Mensah", "Jónsdóttir", "Muñoz", "Girard",
    "El-Amin", "Schäfer", "Otieno", "Araya", "Íñiguez", "Kowalczyk", "Dlamini", "Papadakis",
    "Rousseau", "Tanaka", "Carvalho",
)
ORG_HEADS = (
    "Meridian", "Northern", "Atlantic", "Continental", "Cordillera", "Pan-African", "Baltic",
    "Andean", "Federal", "Regional", "Coastal", "Central", "Danube", "Sahel", "Pacific", "Alpine",
    "National", "Southern", "Eastern", "Nordic",
)
ORG_TAILS = (
    "Policy Institute", "Grid Authority", "Medical Supplies Board", "Democratic Alliance",
    "Development Bank", "Farmers’ Union", "Energy Council", "Health Agency", "Water Authority",
    "Workers’ Federation", "Statistics Office", "Climate Observatory", "Reserve Bank",
    "Mining Corporation", "Press Agency", "Chamber of Commerce", "Green Party", "Port Authority",
    "Research Centre", "Immunisation Partnership",
)
GPES = (
    "Lisbon", "Brussels", "Nairobi", "Santiago", "Seville", "Kigali", "Athens", "The Hague",
    "Warsaw", "Dakar", "Bogotá", "São Paulo", "Montréal", "Reykjavík", "Zürich", "Kraków",
    "Córdoba", "Jaén", "Brazzaville", "Addis Ababa", "Manila", "Hanoi", "Lima", "Oslo",
    "Portugal", "Kenya", "Chile", "Spain", "Ethiopia", "Senegal", "Colombia", "Peru", "Norway",
    "Poland", "Greece", "Vietnam", "the Philippines", "Côte d’Ivoire", "Türkiye", "Germany",
)
LOCS = (
    "the Aegean Sea", "the Atacama Desert", "the Iberian Peninsula", "the Tana River",
    "the Sahel", "the Mekong Delta", "the Andes", "the Baltic Sea", "the Rhine valley",
    "the Great Rift Valley", "the western Mediterranean", "the Amazon basin", "the Alps",
    "Lake Victoria", "the Gulf of Guinea", "the North Sea", "the Carpathians", "the Danube delta",
)
NORPS = (
    "Portuguese", "Dutch", "Kenyan", "Chilean", "Spanish", "Greek", "Italian", "Polish",
    "Senegalese", "Colombian", "Norwegian", "German", "French", "Ethiopian", "Vietnamese",
    "Catalan", "Andalusian", "Brazilian", "Turkish", "Nigerian",
)
DATES = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "last week", "next month",
    "March 14", "June 3", "October", "January", "the end of March", "this year", "last autumn",
    "2025", "2026", "2027", "2028", "2030", "the first quarter", "early December", "next Tuesday",
    "May 21", "the summer", "the past decade",
)
EVENTS = (
    "the Africa Health Summit", "the Spring European Council", "the Lisbon Energy Forum",
    "the Pacific Climate Conference", "the Andean Trade Summit", "the Global Vaccine Assembly",
    "the Nordic Security Dialogue", "the Sahel Water Conference", "the World Grain Forum",
    "the Baltic Ministerial Meeting", "the general election", "the Davos-style Kigali Forum",
)
CURRENCIES = ("€", "$", "£")
MONEY_UNITS = ("million", "billion")

# Pre-built pools: surfaces are fixed strings; a few labels leave "the" outside the span.
_PEOPLE = tuple(f"{f} {s}" for f in FIRST_NAMES for s in SURNAMES)
_ORGS = tuple(f"{h} {t}" for h in ORG_HEADS for t in ORG_TAILS)
_MONEY = tuple(
    f"{c}{a}{'.' + str(d) if d else ''} {u}"
    for c in CURRENCIES for a in (1, 2, 3, 4, 6, 8, 12, 15, 26, 40, 75, 120, 180, 240, 600, 950)
    for d in (0, 2, 5) for u in MONEY_UNITS
) + tuple(f"{a} billion Kenyan shillings" for a in (2, 3.4, 7, 11))
_LOC_BARE = tuple(x[4:] if x.startswith("the ") else x for x in LOCS)
_EVENT_BARE = tuple(x[4:] for x in EVENTS)

POOLS: dict[str, tuple[str, ...]] = {
    "PERSON": _PEOPLE,
    "ORG": _ORGS,
    "GPE": GPES,
    "LOC": _LOC_BARE,       # templates write "the {LOC}" where needed
    "NORP": NORPS,
    "DATE": DATES,
    "MONEY": _MONEY,
    "EVENT": _EVENT_BARE,   # templates write "the {EVENT}"
}

# --------------------------------------------------------------------------- templates
# "{LABEL}" is an entity slot; "{CLAIM}" is a reported clause, "{QUOTE}" a direct quotation:
# both become CLAIM spans (without the surrounding quotes or final punctuation).

ENTITY_SENTENCES = (
    "{PERSON}, a senior official at the {ORG}, met counterparts in {GPE} on {DATE}.",
    "The {ORG} approved {MONEY} for grid links between {GPE} and {GPE} on {DATE}.",
    "Talks are due to resume in {GPE} ahead of the {EVENT} in {DATE}.",
    "{NORP} officials said the delegation would travel to {GPE} after the {EVENT}.",
    "Flooding along the {LOC} cut off several roads near {GPE} {DATE}.",
    "{PERSON} of the {ORG} said the figures would be published on {DATE}.",
    "The plan, first proposed by the {ORG} in {DATE}, would cost about {MONEY}.",
    "Reservoirs in the {LOC} stood at their lowest level since {DATE}, according to the {ORG}.",
    "{NORP} and {NORP} negotiators met for three hours in {GPE} on {DATE}.",
    "Exports from {GPE} to {GPE} fell by a fifth in {DATE}, data from the {ORG} showed.",
    "{PERSON}, who chairs the {ORG}, declined to comment on {DATE}.",
    "The government has set aside {MONEY} for the programme, the {ORG} said.",
    "Delegates at the {EVENT} in {GPE} are expected to discuss the proposal.",
    "A convoy of tractors is planned for {DATE} in {GPE}, organisers said.",
    "Fishing fleets in the {LOC} have lost an estimated {MONEY} since {DATE}.",
    "{PERSON} and {PERSON} are expected to attend the {EVENT}.",
    "Traders in {GPE} said wholesale prices had risen since {DATE}.",
    "The {ORG} employs some 17,000 people across {GPE} and the {LOC}.",
)

CLAIM_FRAMES = (
    "{PERSON} said that {CLAIM}.",
    "According to the {ORG}, {CLAIM}.",
    "The {ORG} denied that {CLAIM}.",
    "An official who asked not to be named said {CLAIM}.",
    "{PERSON}, a spokesperson for the {ORG}, said {CLAIM}.",
    "“{QUOTE},” {PERSON} told reporters in {GPE}.",
    "“{QUOTE},” said {PERSON}, who urged ministers to act before {DATE}.",
    "{PERSON} cited internal figures showing that {CLAIM}.",
    "Two diplomats familiar with the talks said {CLAIM} — a claim the {ORG} rejected.",
    "In a statement, the {ORG} said {CLAIM}.",
)

CLAIM_CLAUSES = (
    "the government had underestimated demand by {MONEY}",
    "the {ORG} would cut its workforce in {GPE} by a fifth before {DATE}",
    "prices in {GPE} could rise by as much as 18 percent by {DATE}",
    "the talks had stalled over how to share the costs",
    "inflation would return to target by {DATE}",
    "stocks were “adequate at national level”",
    "{GPE} had threatened to block the fund entirely",
    "no decision would be taken before the {EVENT}",
    "the shortage had left thousands of families without support",
    "{NORP} negotiators had walked out of the meeting",
    "the scheme had been ‘badly designed from the start’",
    "the ministry had ignored repeated warnings from the sector",
)

DIRECT_QUOTES = (
    "We are not asking for charity — we are asking for water",
    "Every quarter of delay costs money that governments will not get back",
    "Transparency is the quickest way to rebuild trust",
    "We support the goal, but we want a fair key for sharing the costs",
    "There is no need for an adjustment in {DATE}",
    "This is a plaster on a broken leg",
    "Our fiscal framework already assumes lower prices",
    "We learned of the plan from the newspapers, not from the {ORG}",
)

SOCIAL_POSTS = (
    "One widely shared post read: “Still no doses here 😔 #VaccinesNow”.",
    "A post that circulated overnight said simply: “Our planet, our call 🌍🔥”.",
    "A nurse wrote online: “Twelve-hour shift, no supplies 👩‍⚕️ — and nobody is listening”.",
    "Campaigners posted a chart captioned “Look at this curve 📉” within minutes.",
    "“Vote like it matters 🗳️,” read one banner outside the hall.",
    "A farmer’s video, captioned “Dry again 🌵☀️”, was viewed hundreds of thousands of times.",
)

FILLER_OPENERS = (
    "Meanwhile,", "Even so,", "By late afternoon,", "For now,", "In private,", "Since then,",
    "At the same time,", "Elsewhere,", "Under the proposal,", "In practice,",
)
FILLER_CORES = (
    "residents described the mood as ‘tense but calm’",
    "the café owners on the main square said business had slowed",
    "analysts called the outcome a déjà vu of previous rounds",
    "the committee’s rôle in the process remains unclear",
    "critics said the façade of unity was beginning to crack",
    "observers noted that the naïve optimism of the spring had faded",
    "several smaller groups — many of them volunteers — continued to meet",
    "officials stressed that the numbers were provisional",
    "the debate turned to who should pay for the repairs",
    "some members asked for more time to study the text",
    "the mood among negotiators was described as “cautiously hopeful”",
    "households reported higher bills for heating and transport",
    "the opposition demanded a full résumé of the spending",
    "clinic workers described empty refrigerators and cancelled appointments",
    "traders said volumes were thin ahead of the weekend",
    "local newspapers ran the story on their front pages",
)
FILLER_TAILS = (
    ".", ", according to people present.", " — at least for the time being.",
    ", though few expected a quick resolution.", ", a pattern seen in earlier disputes.",
    " as the deadline approached.", ", several participants said.",
)

HEADLINES = (
    "Talks end without deal on regional energy fund",
    "Health agency defends vaccine rollout as clinics report shortages",
    "Drought forces growers to cut harvest forecast",
    "Central bank holds rates, warns of slowdown",
    "Ministers clash over who pays for grid upgrades",
    "Unions threaten strike over smelter closures",
    "Coalition partners split on climate package",
    "Regulator opens inquiry into water allocations",
)

_SLOT = re.compile(r"\{([A-Z]+)\}")


def _compile(template: str) -> tuple[tuple[tuple[str, str | None], ...], int]:
    """Template -> ((literal, slot-or-None), ...) and an approximate word count."""
    segments: list[tuple[str, str | None]] = []
    pos = 0
    for match in _SLOT.finditer(template):
        segments.append((template[pos:match.start()], match.group(1)))
        pos = match.end()
    segments.append((template[pos:], None))
    words = len(_SLOT.sub("x x", template).split())
    return tuple(segments), words


_ENTITY_T = tuple(_compile(t) for t in ENTITY_SENTENCES)
_FRAME_CLAIM_T = tuple(_compile(t) for t in CLAIM_FRAMES if "{CLAIM}" in t)
_FRAME_QUOTE_T = tuple(_compile(t) for t in CLAIM_FRAMES if "{QUOTE}" in t)
_CLAUSE_T = tuple(_compile(t) for t in CLAIM_CLAUSES)
_QUOTE_T = tuple(_compile(t) for t in DIRECT_QUOTES)
_DATELINES = tuple(g.upper() for g in GPES if not g.startswith("the "))
_FILLERS = tuple(
    (text, len(text.split()))
    for text in (f"{o} {c}{t}" for o in FILLER_OPENERS for c in FILLER_CORES for t in FILLER_TAILS)
)


def _slots(compiled: tuple) -> int:
    return sum(1 for _, slot in compiled[0] if slot is not None)


class _Builder:
    """Accumulates text pieces and spans; offsets are running ``len()`` sums."""

    __slots__ = ("parts", "pos", "spans", "choice")

    def __init__(self, choice) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[dict] = []
        self.choice = choice

    def lit(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.pos += len(text)

    def entity(self, label: str, surface: str | None = None) -> None:
        if surface is None:
            surface = self.choice(POOLS[label])
        start = self.pos
        self.parts.append(surface)
        self.pos = start + len(surface)
        self.spans.append({"start": start, "end": self.pos, "label": label})

    def render(self, segments, inner=None) -> None:
        """Render compiled segments; CLAIM/QUOTE slots render ``inner`` as a CLAIM span."""
        for literal, slot in segments:
            if literal:
                self.parts.append(literal)
                self.pos += len(literal)
            if slot is None:
                continue
            if slot == "CLAIM" or slot == "QUOTE":
                start = self.pos
                self.render(inner)
                self.spans.append({"start": start, "end": self.pos, "label": "CLAIM"})
            else:
                self.entity(slot)


def _article(rng: random.Random, index: int, seed: int) -> dict:
    choice = rng.choice
    b = _Builder(choice)

    target_entities = rng.randint(17, 22)
    target_words = rng.randint(560, 640)
    n_claims = rng.randint(2, 4)

    # Plan the body: (segments, inner) = (frame, claim/quote segments) for claim sentences,
    # (segments, None) for entity sentences, (None, text) for fillers.
    body: list[tuple] = []
    entities = 0
    words = 0
    for _ in range(n_claims):
        if rng.random() < 0.3:
            frame, inner = choice(_FRAME_QUOTE_T), choice(_QUOTE_T)
        else:
            frame, inner = choice(_FRAME_CLAIM_T), choice(_CLAUSE_T)
        body.append((frame[0], inner[0]))
        entities += _slots(frame) - 1 + _slots(inner)
        words += frame[1] + inner[1]
    # lead paragraph: dateline (1 entity) + one entity sentence + a social post
    lead = choice(_ENTITY_T)
    entities += 1 + _slots(lead)
    words += lead[1] + 12
    while entities < target_entities:
        sentence = choice(_ENTITY_T)
        body.append((sentence[0], None))
        entities += _slots(sentence)
        words += sentence[1]
    while words < target_words:
        filler, count = choice(_FILLERS)
        body.append((None, filler))
        words += count
    rng.shuffle(body)

    # Lead paragraph: "CITY — <entity sentence> <social post with emoji>"
    b.entity("GPE", choice(_DATELINES))
    b.lit(" — ")
    b.render(lead[0])
    b.lit(" ")
    b.lit(choice(SOCIAL_POSTS))

    # Body paragraphs of 3-6 sentences; a second social post somewhere in the middle.
    i = 0
    n = len(body)
    second_post = rng.randrange(n) if n and rng.random() < 0.5 else -1
    while i < n:
        b.lit("\n\n")
        size = rng.randint(3, 6)
        for j, (segments, inner) in enumerate(body[i:i + size]):
            if j:
                b.lit(" ")
            if segments is None:
                b.lit(inner)  # a filler sentence: no spans
            else:
                b.render(segments, inner)
            if i + j == second_post:
                b.lit(" ")
                b.lit(choice(SOCIAL_POSTS))
        i += size

    text = "".join(b.parts)
    b.spans.sort(key=lambda s: (s["start"], -s["end"]))
    title = f"{choice(HEADLINES)} in {choice(GPES)}"
    return {
        "text": text,
        "meta": {
            "title": title,
            "source": "synthetic benchmark corpus",
            "id": f"synthetic-{seed}-{index:07d}",
        },
        "spans": b.spans,
    }


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """Yield ``n`` synthetic articles, deterministically for a given ``seed``."""
    rng = random.Random(seed)
    for index in range(n):
        yield _article(rng, index, seed)


def write_corpus(n: int, path: str | Path, seed: int = 0) -> None:
    """Write ``n`` articles to ``path`` as UTF-8 JSONL, one record at a time."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
        write = handle.write
        for record in generate(n, seed):
            write(dumps(record))
            write("\n")


def build_project(n: int, corpus: str | Path, project_path: str | Path, seed: int = 1) -> dict:
    """Write ``n`` articles to ``corpus`` and import them into a new project, as a user would
    (``import_paths``: validated, indexed for search). Returns the import's seconds and counts."""
    from annotator.store import Project
    from annotator.workflows.importing import import_paths

    write_corpus(n, corpus, seed=seed)
    started = time.perf_counter()
    with Project.create(Path(project_path)) as project:
        report = import_paths(project, [Path(corpus)])
        assert report.ok, report.summary()
        stats = project.stats()
    return {"seconds": time.perf_counter() - started, "documents": stats["documents"]["total"],
            "claims": stats["claims"], "spans": sum(c["accepted"] for c in stats["spans"].values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("output", type=Path, help="output .jsonl path")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be >= 0")
    started = time.perf_counter()
    write_corpus(args.n, args.output, seed=args.seed)
    elapsed = time.perf_counter() - started
    size = args.output.stat().st_size
    print(f"wrote {args.n} articles to {args.output} ({size / 1e6:.1f} MB) in {elapsed:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
