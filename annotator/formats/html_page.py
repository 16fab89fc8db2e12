"""Web pages: one saved HTML page is one document, the text of its article (trafilatura).

The main text (no menus, cookie banners, comments, related links) comes from trafilatura,
the date from htmldate through it. Paragraphs are separated by one blank line; each is
trimmed of the white space around it, nothing else is changed, and that text is stored as it
is. A page where no article text is found is a problem (file, reason), never an empty or
boilerplate document. The extraction settings and the library versions go into the
document's meta, so a text can always be traced to how it was made.

The fetch workflow (workflows/fetching.py) uses the same ``decode_page`` and
``extract_article`` on the pages it downloads.
"""

from __future__ import annotations

import codecs
import gzip
import html as html_entities
import re
import zlib
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..core.problems import Problem
from ..core.records import DocumentRecord
from ..core.textutil import path_text
from .registry import Reader, ReadOptions, RecordStream, register


@dataclass(frozen=True)
class ExtractionSettings:
    # Precision over recall: an annotator labels what is there, so a "Related:" box or a menu
    # row in the text costs more than a sentence missed (measured on our test pages: the
    # balanced mode kept both).
    favor_precision: bool = True
    include_comments: bool = False
    include_tables: bool = True
    # Less main text than this is "no article text": a section front or a cookie wall yields
    # a headline or two. 250 is trafilatura's own MIN_EXTRACTED_SIZE.
    min_characters: int = 250


SETTINGS = ExtractionSettings()
GZIP_MAGIC = b"\x1f\x8b"
MAX_PAGE_BYTES = 20_000_000  # trafilatura's MAX_FILE_SIZE: larger inputs it refuses anyway


@dataclass
class Article:
    text: str
    title: str
    meta: dict[str, Any]


class NoArticle(Exception):
    """The page has no article text; the message says why, for the report."""


# ---------------------------------------------------------------------------- decoding
# The HTML standard's rule: labels that name Latin-1 or ASCII mean windows-1252, and a meta
# tag cannot declare UTF-16 (the bytes it was read in were ASCII-compatible).
_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}
_SHOWN = {"cp1252": "windows-1252", "cp1251": "windows-1251", "cp1250": "windows-1250"}  # Python's names -> the web's
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._-]+)""")


def _codec(label: str | bytes | None, from_meta: bool = False) -> str | None:
    if not label:
        return None
    text = label.decode("ascii", "replace") if isinstance(label, bytes) else label
    try:
        name = codecs.lookup(text.strip().lower()).name
    except LookupError:
        return None
    if from_meta and name.startswith("utf-16"):
        return "utf-8"
    return _ALIASES.get(name, name)


def decode_page(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """The page as text and how its encoding was told: BOM, HTTP header, meta tag, else UTF-8
    if it decodes, else windows-1252 (the web's legacy default). Bytes the encoding cannot
    decode become U+FFFD; the second value says so."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name, "replace"), f"{name} (byte-order mark)"
    head = data[:4096]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    header, meta = _codec(http_charset), _codec(found and found.group(1), True)
    if header and meta and meta != header and not _decodes(data, header) and _decodes(data, meta):
        # The header wins in a browser, which then shows U+FFFD. But a header the bytes cannot be
        # decoded in is wrong, and the page's own tag that decodes them is right: a server's
        # default charset (AddDefaultCharset UTF-8) over an old windows-1252 page is common.
        return data.decode(meta), f"{_SHOWN.get(meta, meta)} (meta tag; not {_SHOWN.get(header, header)}, " \
                                  f"as the HTTP header said)"
    for name, how in ((header, "HTTP header"), (meta, "meta tag")):
        if name:
            return _decode(data, name, how)
    try:
        return data.decode("utf-8"), "utf-8 (undeclared)"
    except UnicodeDecodeError:
        return _decode(data, "cp1252", "undeclared, not UTF-8")


def _decodes(data: bytes, name: str) -> bool:
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, name: str, how: str) -> tuple[str, str]:
    shown = _SHOWN.get(name, name)
    try:
        return data.decode(name), f"{shown} ({how})"
    except UnicodeDecodeError:
        return data.decode(name, "replace"), f"{shown} ({how}), undecodable bytes replaced by U+FFFD"


def page_bytes(path: Path) -> bytes:
    """A saved page's bytes; a gzip file (as fetch keeps pages) is unpacked."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        data = gzip.decompress(data)
    return data


# ---------------------------------------------------------------------------- extraction
@cache
def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("trafilatura", "htmldate", "lxml"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # a frozen bundle without metadata: say so, never guess
            found[name] = "unknown"
    return found


_LANG = (re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)""", re.IGNORECASE),
         re.compile(r"""<meta[^>]+http-equiv\s*=\s*["']?content-language["']?[^>]+content\s*=\s*["']?([A-Za-z-]+)""",
                    re.IGNORECASE),
         re.compile(r"""<meta[^>]+property\s*=\s*["']og:locale["'][^>]+content\s*=\s*["']?([A-Za-z_-]+)""", re.IGNORECASE))
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_CANONICAL_REL = re.compile(r"""\brel\s*=\s*["']?\s*canonical\b""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
# "Save Page As" in Chromium and old Internet Explorer marks where a page came from.
_SAVED_FROM = re.compile(r"<!-- saved from url=\(\d+\)(https?://[^\s>]+) -->")


def declared_language(html: str) -> str | None:
    """The language the page says it is in (html lang, Content-Language, og:locale), as written
    there but with ``_`` as ``-``; trafilatura only guesses one with an optional package."""
    head = html[:20000]
    for pattern in _LANG:
        found = pattern.search(head)
        if found:
            return found.group(1).replace("_", "-")
    return None


def relative_canonical(html: str, url: str) -> str | None:
    """A canonical link written relative to the page (``/news/story``), resolved against ``url``.
    trafilatura resolves one only when an og: or twitter: tag gives the site, and otherwise
    returns the fetched address: then two copies of one article never matched by it."""
    for tag in _LINK.findall(html[:100000]):
        if _CANONICAL_REL.search(tag):
            href = _HREF.search(tag)
            target = html_entities.unescape(next(g for g in href.groups() if g is not None)).strip() if href else ""
            try:
                if target and not urlsplit(target).scheme and not target.startswith("//"):
                    return urljoin(url, target)
            except ValueError:  # an unparsable link is no canonical address
                return None
            return None  # an absolute (or protocol-relative) link is trafilatura's to read
    return None


def extract_article(html: str, url: str | None = None, settings: ExtractionSettings = SETTINGS) -> Article:
    """The article of a page: text (paragraphs separated by a blank line), title and meta.

    Raises ``NoArticle`` when the page has none. ``url`` is where the page was fetched from:
    trafilatura resolves the canonical link against it, and it stands in when there is none.
    """
    import trafilatura  # noqa: PLC0415 - lxml and trafilatura load on the first page, not at start-up
    from trafilatura.xml import xmltotxt  # noqa: PLC0415

    if url is None:
        saved = _SAVED_FROM.search(html[:2000])
        url = saved.group(1) if saved else None
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, favor_precision=settings.favor_precision,
        include_comments=settings.include_comments, include_tables=settings.include_tables,
        include_images=False, include_links=False, include_formatting=False, deduplicate=False)
    if document is None or document.body is None:
        raise NoArticle("no article text found (no main text on the page)")
    blocks = (xmltotxt(block, False).strip() for block in document.body)
    text = "\n\n".join(block for block in blocks if block)
    if len(text) < settings.min_characters:
        raise NoArticle(f"no article text found (only {len(text)} characters of main text; "
                        f"{settings.min_characters} needed)")
    meta: dict[str, Any] = {}
    for key in ("author", "date", "url", "sitename", "description"):
        value = getattr(document, key, None)
        if isinstance(value, str) and value.strip():
            meta[key] = value.strip()
    canonical = relative_canonical(html, url) if url and meta.get("url") in (None, url) else None
    if canonical:  # trafilatura found no canonical address of its own
        meta["url"] = canonical
    language = declared_language(html)
    if language:
        meta["language"] = language
    for key in ("categories", "tags"):
        values = [v for v in getattr(document, key, None) or [] if isinstance(v, str) and v.strip()]
        if values:
            meta[key] = values
    meta["extraction"] = {"tool": "trafilatura", "versions": versions(), "settings": asdict(settings)}
    title = document.title.strip() if isinstance(document.title, str) else ""
    return Article(text=text, title=title, meta=meta)


def article_record(path: Path) -> DocumentRecord | Problem:
    """One saved page as a record, or the problem that keeps it out (also what the import's
    worker processes run, so it takes and returns only things that pickle)."""
    where = path_text(path)
    try:
        data = page_bytes(path)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError: first
        return Problem(where, None, None, f"damaged gzip file: {exc}")
    except OSError as exc:
        return Problem(where, None, None, f"cannot read file: {exc.strerror or exc}")
    if len(data) > MAX_PAGE_BYTES:
        return Problem(where, None, None, f"page of {len(data):,} bytes is larger than {MAX_PAGE_BYTES:,}")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem(where, None, None, "not a web page: a binary file")
    html, encoding = decode_page(data)
    try:
        article = extract_article(html)
    except NoArticle as exc:
        return Problem(where, None, None, f"{exc}; not imported")
    article.meta["extraction"]["encoding"] = encoding
    return DocumentRecord(text=article.text, line=1, title=article.title or path_text(path.stem), source=where,
                          meta=article.meta)


def read_html(path: Path, options: ReadOptions) -> RecordStream:
    yield article_record(path)


register(Reader("html", "web page: the article's main text and metadata (trafilatura)",
                (".html", ".htm", ".xhtml", ".shtml"), read_html))
