"""--format html: a saved page is one document, its article's exact text and metadata."""

from __future__ import annotations

import gzip
import json

import pytest
from web_site import EXPECTED_TEXT, page

from annotator.core.problems import Problem
from annotator.core.records import DocumentRecord
from annotator.formats.html_page import SETTINGS, decode_page, versions
from annotator.formats.registry import ReadOptions, guess_format, reader_for

BASE = "https://news.example"


def read(path) -> DocumentRecord | Problem:
    [item] = list(reader_for("html").read(path, ReadOptions()))
    return item


def saved(tmp_path, name: str, data: bytes | None = None):
    path = tmp_path / name
    path.write_bytes(page(name, BASE) if data is None else data)
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED_TEXT))
def test_html_reader_text_is_the_article_exactly(tmp_path, name):
    record = read(saved(tmp_path, name))
    assert isinstance(record, DocumentRecord)
    assert record.text == EXPECTED_TEXT[name]
    # Never the page's furniture: menus, the cookie banner, comments, related links, footers.
    for boilerplate in ("cookies", "Accept all", "Most read", "About time", "Related", "Sign up", "You may also like",
                        "Comments", "All rights reserved", "Portada", "Trending", "Read more"):
        assert boilerplate not in record.text


def test_html_reader_metadata_goes_to_title_and_meta(tmp_path):
    path = saved(tmp_path, "harbour-barrier.html")
    record = read(path)
    assert record.title == "Saltmere council backs tidal barrier after three-year row"
    assert record.source == str(path)
    extraction = record.meta.pop("extraction")
    assert record.meta == {
        "author": "Mara Quill", "date": "2025-03-14", "url": f"{BASE}/news/2025/03/harbour-barrier.html",
        "sitename": "The Coastal Ledger", "description": "Councillors vote 7 to 2 for a barrier across the old fishing basin.",
        "language": "en-GB", "categories": ["Local news"]}
    assert extraction == {"tool": "trafilatura", "versions": versions(), "settings": {
        "favor_precision": True, "include_comments": False, "include_tables": True, "min_characters": 250},
        "encoding": "utf-8 (meta tag)"}
    assert set(versions()) == {"trafilatura", "htmldate", "lxml"} and versions()["trafilatura"][0].isdigit()


def test_html_reader_decodes_a_page_in_its_declared_legacy_encoding(tmp_path):
    path = saved(tmp_path, "valle-fiesta.html")
    assert b"\xf1" in path.read_bytes()  # ñ in windows-1252: not UTF-8
    record = read(path)
    assert record.title == "La feria de Valdemora vuelve tras cinco años"
    assert record.meta["author"] == "Inés Barrantes" and record.meta["language"] == "es"
    assert record.meta["date"] == "2025-05-09" and record.meta["sitename"] == "El Eco del Valle"
    assert record.meta["extraction"]["encoding"] == "windows-1252 (meta tag)"
    assert "180.000 € — la mitad" in record.text  # € and — are 0x80 and 0x97 in windows-1252


def test_html_reader_refuses_a_page_without_an_article(tmp_path):
    path = saved(tmp_path, "topics-index.html")
    problem = read(path)
    assert problem == Problem(str(path), None, None, "no article text found (only 10 characters of main text; "
                                                     f"{SETTINGS.min_characters} needed); not imported")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "no article text found"),
    (b"\x00\x01\x02PK binary", "not a web page: a binary file"),
    (gzip.compress(b"<html>")[:-6], "damaged gzip file"),
])
def test_html_reader_refuses_what_is_no_page(tmp_path, data, message):
    problem = read(saved(tmp_path, "odd.html", data))
    assert isinstance(problem, Problem) and message in problem.message


def test_html_reader_reads_a_page_kept_gzipped(tmp_path):
    path = tmp_path / "rail.html.gz"
    path.write_bytes(gzip.compress(page("rail-strike.html", BASE)))
    assert read(path).text == EXPECTED_TEXT["rail-strike.html"]


def test_html_reader_takes_the_saved_from_mark_when_there_is_no_canonical_link(tmp_path):
    html = page("library-reopens.html", BASE).replace(b'<link rel="canonical" href="https://news.example/news/2025/04/library-reopens.html">', b"")
    html = b"<!-- saved from url=(0040)https://ledger.example/library-reopens -->\n" + html
    record = read(saved(tmp_path, "library.html", html))
    assert record.meta["url"] == "https://ledger.example/library-reopens"


@pytest.mark.parametrize(("data", "header", "text", "how"), [
    ("café".encode("utf-8"), None, "café", "utf-8 (undeclared)"),
    ("café".encode("cp1252"), None, "café", "windows-1252 (undeclared, not UTF-8)"),
    ("café".encode("cp1252"), "ISO-8859-1", "café", "windows-1252 (HTTP header)"),
    (b"\xef\xbb\xbfcaf\xc3\xa9", "iso-8859-1", "café", "utf-8 (byte-order mark)"),
    ('<meta charset="utf-8">caf\xe9'.encode("latin-1"), None, '<meta charset="utf-8">caf\ufffd',
     "utf-8 (meta tag), undecodable bytes replaced by U+FFFD"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">Мир'.encode("koi8-r"), None,
     '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">Мир', "koi8-r (meta tag)"),
])
def test_html_reader_decoding_follows_the_declarations(data, header, text, how):
    assert decode_page(data, header) == (text, how)


def test_html_reader_is_guessed_from_the_suffix(tmp_path):
    for name in ("a.html", "b.HTM", "c.xhtml"):
        assert guess_format(tmp_path / name) == "html"


def test_html_reader_meta_is_plain_json(tmp_path):
    record = read(saved(tmp_path, "rail-strike.html"))
    assert json.loads(json.dumps(record.meta)) == record.meta
