"""What the WebAnno TSV 3 reader and writer share: the format's escaping, value splitting and
the layers annotator writes (INCEpTION's documentation, "WebAnno TSV 3.3 File format", and
its Tsv3X serializer are the reference).

Reserved characters in feature values are backslash-escaped (``\\ [ ] | _ -> ; TAB LF *``);
sentence text (``#Text=``) escapes control characters, tab, line feed (one ``#Text=`` line
per line instead), form feed, carriage return, backspace and backslash. Stacked annotations
on one unit are separated by ``|``; ``[N]`` after a value is a disambiguation id (an
annotation over several units, or stacked with another of its layer); a relation's source
column is ``UNIT`` or ``UNIT[source_target]``.
"""

from __future__ import annotations

import re

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
CLAIM_LAYER = "webanno.custom.Claim"  # claim spans; their attributes are its features
SPAN_LAYER = "webanno.custom.Span"  # role spans (cues, sources, event triggers)
RELATION_LAYER = "webanno.custom.Relation"  # relations between named entities
ANY_TYPE = "uima.tcas.Annotation"  # an un-typed slot: its target may be in any span layer
LABEL_FEATURE = "label"
LINKS_FEATURE = "links"
CLAIMANT_FEATURE = "claimant"

# Value escaping: the order matters (Apache's replaceEach tries them in this order at each
# position), "->" counts as one character. INCEpTION does not escape a carriage return, which
# then ends the row (Java reads \r as a line end); we write it as \r, which INCEpTION shows
# as those two characters and we read back as the carriage return.
_VALUE_ESCAPES = [("\\", "\\\\"), ("[", "\\["), ("]", "\\]"), ("|", "\\|"), ("_", "\\_"), ("->", "\\->"),
                  (";", "\\;"), ("\t", "\\t"), ("\n", "\\n"), ("*", "\\*"), ("\r", "\\r")]
_VALUE_ESCAPE = re.compile("|".join(re.escape(raw) for raw, _ in _VALUE_ESCAPES))
_VALUE_UNESCAPE = re.compile("|".join(re.escape(escaped) for _, escaped in _VALUE_ESCAPES))
_ESCAPED = {raw: escaped for raw, escaped in _VALUE_ESCAPES}
_UNESCAPED = {escaped: raw for raw, escaped in _VALUE_ESCAPES}

_TEXT_ESCAPES = [*((chr(i), "\\" + chr(i)) for i in range(32) if not 7 < i < 14), ("\t", "\\t"), ("\n", "\\n"),
                 ("\f", "\\f"), ("\r", "\\r"), ("\b", "\\b"), ("\\", "\\\\")]
_TEXT_ESCAPE = re.compile("|".join(re.escape(raw) for raw, _ in _TEXT_ESCAPES))
_TEXT_UNESCAPE = re.compile("|".join(re.escape(escaped) for _, escaped in _TEXT_ESCAPES))
_TEXT_ESCAPED = dict(_TEXT_ESCAPES)
_TEXT_UNESCAPED = {escaped: raw for raw, escaped in _TEXT_ESCAPES}
# Apache's unescapeJava: ``\\uXXXX`` (also ``\\uuXXXX`` and ``\\u+XXXX``), the simple escapes, and
# octal of at most three digits that stays within 0377 (``\\777`` is ``\\77`` then ``7``).
_JAVA_ESCAPE = re.compile(r"\\(u+\+?[0-9a-fA-F]{4}|[btnfr\"'\\]|[0-3][0-7]{2}|[0-7]{1,2})")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")
_JAVA_SIMPLE = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "'": "'", "\\": "\\"}


def escape_value(value: str) -> str:
    return _VALUE_ESCAPE.sub(lambda m: _ESCAPED[m.group(0)], value)


def unescape_value(value: str) -> str:
    return _VALUE_UNESCAPE.sub(lambda m: _UNESCAPED[m.group(0)], value)


def escape_text(text: str) -> str:
    return _TEXT_ESCAPE.sub(lambda m: _TEXT_ESCAPED[m.group(0)], text)


def unescape_text(text: str, minor: int) -> str:
    """``#Text=`` lines: 3.2 and later escape as ``escape_text``; 3.0 and 3.1 used Java escapes.

    Raises ValueError for a Java escape that gives half a surrogate pair."""
    if minor >= 2:
        return _TEXT_UNESCAPE.sub(lambda m: _TEXT_UNESCAPED[m.group(0)], text)

    def java(match: re.Match) -> str:
        code = match.group(1)
        if code[0] == "u":
            return chr(int(code.lstrip("u+"), 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _JAVA_SIMPLE[code]

    unescaped = _JAVA_ESCAPE.sub(java, text)
    if not _SURROGATE.search(unescaped):
        return unescaped
    # Java strings are UTF-16: 3.0/3.1 wrote every character beyond U+FFFF (an emoji) as two
    # escapes, ``\\uD83D\\uDE0A``, which must become one character again. A surrogate left
    # without its partner is no character at all (SQLite cannot store it): refused.
    lone = _LONE_SURROGATE.search(unescaped)
    if lone is not None:
        raise ValueError(f"\\u{ord(lone.group(0)):04X} is half of a UTF-16 surrogate pair, without its other half")
    return unescaped.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def split_unescaped(value: str, separator: str) -> list[str]:
    """Split at each ``separator`` not preceded by a backslash (the format's own rule)."""
    return re.split(rf"(?<!\\){re.escape(separator)}", value)


def split_disambiguation(value: str) -> tuple[str, str | None]:
    """``PER[3]`` -> (``PER``, ``3``); ``1-1[0_2]`` -> (``1-1``, ``0_2``); a value ending in an
    escaped ``\\]`` has none."""
    if value.endswith("]") and not value.endswith("\\]") and "[" in value:
        head, _, tail = value.rpartition("[")
        return head, tail[:-1]
    return value, None


def short_name(layer: str) -> str:
    return layer.rsplit(".", 1)[-1]
