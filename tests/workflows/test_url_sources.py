"""Address lists (one a line, or CSV with a url column) and feeds that are not feeds."""

from __future__ import annotations

import pytest
from web_site import NewsSite

from annotator.core.problems import InputError
from annotator.workflows.http_fetch import Fetcher, FetchSettings
from annotator.workflows.url_sources import FeedError, read_feed, read_url_list


def test_url_sources_list_skips_blank_and_comment_lines(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("# from the media database, March\n\nhttps://a.example/1\n  https://b.example/2?x=1  \r\n",
                    encoding="utf-8")
    found = read_url_list(path)
    assert [(e.url, e.line, e.where) for e in found] == [
        ("https://a.example/1", 3, f"{path}:3"), ("https://b.example/2?x=1", 4, f"{path}:4")]


def test_url_sources_csv_reads_the_url_column(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('title,URL,date\n"Harbour, barrier",https://a.example/1,2025-03-14\nRail,https://b.example/2,\n',
                    encoding="utf-8")
    assert [(e.url, e.line) for e in read_url_list(path)] == [("https://a.example/1", 2), ("https://b.example/2", 3)]


def test_url_sources_a_text_list_with_a_url_header_is_a_table(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("id\turl\n1\thttps://a.example/1\n", encoding="utf-8")
    assert [e.url for e in read_url_list(path)] == ["https://a.example/1"]


@pytest.mark.parametrize(("name", "content", "problems"), [
    ("urls.txt", "https://a.example/1\nnot a url\nftp://b.example/x\n",
     ["{p}:2: url: 'not a url' has white space inside it", "{p}:3: url: 'ftp://b.example/x' is not an http:// or https:// address"]),
    ("urls.txt", "# nothing\n\n", ["{p}: no addresses in the file (one http(s) address a line)"]),
    ("urls.csv", "title,link\nA,https://a.example\n", ["{p}:1: column 'url': no such column; the header has: 'title', 'link'"]),
    ("urls.csv", "url,title\n,Empty\nhttps://a.example/2,Two\n", ["{p}:2: url: empty"]),
])
def test_url_sources_a_bad_list_is_refused_whole(tmp_path, name, content, problems):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_url_list(path)
    assert [str(p) for p in refused.value.problems] == [text.format(p=path) for text in problems]


def test_url_sources_a_list_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_bytes("https://a.example/caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"urls.txt:1: invalid UTF-8 at byte offset 21"):
        read_url_list(path)


@pytest.mark.parametrize(("path", "message"), [
    ("/news/2025/03/harbour-barrier.html", r"/harbour-barrier.html: a web page \(Content-Type text/html\), not an RSS"),
    ("/no-feed.xml", "the feed could not be fetched: HTTP 404 Not Found"),
    ("/broken.xml", r"/broken.xml:2: not an RSS or Atom feed \(not well-formed \(invalid token\)\)$"),
    ("/empty.xml", r"/empty.xml: not an RSS or Atom feed with entries$"),
])
def test_url_sources_a_feed_that_is_no_feed(path, message):
    extra = {"/broken.xml": (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A & B</title>\n'
                             b"</channel></rss>", "application/rss+xml"),
             "/empty.xml": (b"", "application/rss+xml")}
    with NewsSite(extra=extra) as site, pytest.raises(FeedError, match=message):
        read_feed(Fetcher(FetchSettings(delay=0, timeout=1)), site.url(path))
