"""fetch_pages against hostile answers from a site on 127.0.0.1: a drip that never ends, a gzip
bomb, an unasked-for compression, non-ASCII addresses, redirects (and robots.txt redirects) out
of the web, and a site that cannot be reached."""

from __future__ import annotations

import gzip
import socket
import time

import pytest
from web_site import EXPECTED_TEXT, HARBOUR, NewsSite, page

from annotator.workflows.fetching import fetch_pages
from annotator.workflows.http_fetch import FetchSettings
from annotator.workflows.url_sources import UrlEntry

QUICK = FetchSettings(concurrency=2, delay=0.0, timeout=0.5, retries=0, backoff=0.01)


def entries(*urls: str) -> list[UrlEntry]:
    return [UrlEntry(url, "urls.txt", line) for line, url in enumerate(urls, start=1)]


DRIP_BYTES = 200


def drip(sent: list[int]):
    """A byte every 50 ms, no length: each byte arrives well within the socket timeout. ``sent``
    gets how many were written before the fetcher hung up (all of them: it never did)."""
    def answer(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        count = 0
        try:
            for count in range(DRIP_BYTES):  # ends after 10 s: the test fails rather than hangs
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.05)
            count = DRIP_BYTES
        except OSError:
            pass  # the fetcher gave up, as it should
        sent.append(count)
    return answer


def encoded(body: bytes, encoding: str):
    def answer(handler) -> None:
        NewsSite.answer(handler, 200, body, "text/html; charset=utf-8", {"Content-Encoding": encoding})
    return answer


def redirect(location: bytes):
    """A 301 written by hand: send_header would encode a str as Latin-1, and what is tested is
    a server sending UTF-8 bytes (or any bytes) in Location."""
    def answer(handler) -> None:
        handler.wfile.write(b"HTTP/1.0 301 Moved\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n")
    return answer


def test_fetch_hostile_a_page_that_never_finishes_arriving_times_out(project):
    sent: list[int] = []
    with NewsSite(extra={"/drip": drip(sent)}) as site:
        report = fetch_pages(project, entries(site.url("/drip")), QUICK)
        while not sent:  # the server notices the hang-up at its next write
            time.sleep(0.01)
    assert sent[0] < DRIP_BYTES / 2  # it read what came, and left at the timeout (0.5 s of 10 s)
    [outcome] = report.outcomes
    assert (outcome.outcome, outcome.kind, outcome.reason) == ("failed", "timeout",
                                                               "the page did not arrive within 0.5 s")


def test_fetch_hostile_a_gzip_bomb_is_too_large_once_unpacked(project):
    bomb = gzip.compress(b"<html><body><p>" + b" " * 5_000_000)  # 5 MB unpacked from ~5 kB
    with NewsSite(extra={"/bomb": encoded(bomb, "gzip"), "/br": encoded(b"\x1b\x03\x00\xf8" * 100, "br")}) as site:
        report = fetch_pages(project, entries(site.url("/bomb"), site.url("/br")),
                             FetchSettings(delay=0.0, timeout=2, retries=0, max_bytes=1_000_000))
    assert [(o.outcome, o.kind, o.reason) for o in report.outcomes] == [
        ("failed", "too-large", "the page is larger than 1,000,000 bytes once unpacked"),
        ("failed", "network", "the answer is compressed as 'br', which cannot be read"),
    ]
    assert project.document_count() == 0


def test_fetch_hostile_non_ascii_addresses_are_percent_encoded(project):
    body = page("harbour-barrier.html", "http://unused.example")
    with NewsSite(extra={"/noticias/caf%C3%A9-a%C3%B1o": (body, "text/html; charset=utf-8"),
                         "/r/cafe": redirect("/noticias/café-año".encode())}) as site:
        # As pasted from a browser's address bar: the path as letters, not escapes.
        report = fetch_pages(project, entries(site.url("/noticias/café-año"), site.url("/r/cafe")), QUICK)
        asked = site.pages_asked()
    assert [(o.outcome, o.reason) for o in report.outcomes] == [
        ("added", ""), ("duplicate", f"redirected to urls.txt:1 ({site.url('/noticias/café-año')})")]
    assert sorted(asked) == ["/noticias/caf%C3%A9-a%C3%B1o"] * 2 + ["/r/cafe"]
    assert project.document(report.outcomes[0].doc_id).text == EXPECTED_TEXT["harbour-barrier.html"]


@pytest.mark.parametrize(("location", "reason"), [
    (b"file:///etc/passwd", "redirected to 'file:///etc/passwd', not a web address"),
    (b"ftp://127.0.0.1/pub/x", "redirected to 'ftp://127.0.0.1/pub/x', not a web address"),
    (b"http://[::1/x", "redirected to 'http://[::1/x', not a valid address (Invalid IPv6 URL)"),
])
def test_fetch_hostile_redirects_out_of_the_web_fail(project, location, reason):
    with NewsSite(extra={"/r": redirect(location)}) as site:
        report = fetch_pages(project, entries(site.url("/r")), QUICK)
    assert [(o.outcome, o.kind, o.reason) for o in report.outcomes] == [("failed", "redirects", reason)]


def test_fetch_hostile_a_robots_txt_redirect_never_reads_a_local_file(project, tmp_path):
    local = tmp_path / "robots.txt"
    local.write_text("User-agent: *\nDisallow: /\n")  # would close the site if it were read
    with NewsSite(extra={"/robots.txt": redirect(local.as_uri().encode())}) as site:
        report = fetch_pages(project, entries(site.url(HARBOUR)), QUICK)
    [outcome] = report.outcomes
    assert (outcome.outcome, outcome.kind) == ("failed", "robots")
    assert outcome.reason == (f"robots.txt could not be read (redirected to {local.as_uri()!r}, not a web address): "
                              "the site counts as closed to robots")


def test_fetch_hostile_an_unreachable_site_is_a_network_error_not_robots(project):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    report = fetch_pages(project, entries(f"http://127.0.0.1:{port}/news/a.html"), QUICK)
    [outcome] = report.outcomes
    assert (outcome.outcome, outcome.kind) == ("failed", "network")
    assert outcome.reason.startswith("robots.txt could not be read (cannot connect: ")
    assert report.summary() == "0 added, 0 already in the project, 0 duplicates, 1 failed (1 network error)"


def test_fetch_hostile_a_relative_canonical_link_finds_the_original(project):
    """A syndicated copy whose canonical link is written relative to the site (and no og:url)."""
    copy = page("harbour-barrier.html", "http://unused.example")
    copy = copy.replace(b'<link rel="canonical" href="http://unused.example', b"<link rel='canonical' href='")
    copy = copy.replace(b".html\">\n", b".html'>\n", 1)
    copy = copy.replace(b'<meta property="og:url" content="http://unused.example/news/2025/03/harbour-barrier.html">', b"")
    with NewsSite(extra={"/wire/harbour": (copy, "text/html; charset=utf-8")}) as site:
        report = fetch_pages(project, entries(site.url("/wire/harbour")), QUICK)
        again = fetch_pages(project, entries(site.url(HARBOUR)), QUICK)
    [outcome] = report.outcomes
    assert outcome.outcome == "added"
    assert project.document(outcome.doc_id).meta["url"] == site.url(HARBOUR)
    assert [(o.outcome, o.reason) for o in again.outcomes] == [
        ("in project", f"already in the project (document #{outcome.doc_id})")]


def test_fetch_hostile_a_header_charset_that_cannot_decode_the_page_yields_to_the_meta_tag(project):
    """A windows-1252 page (its meta tag says so) behind a server whose header says UTF-8."""
    with NewsSite(extra={"/valle": (page("valle-fiesta.html", "http://unused.example"), "text/html; charset=utf-8")}
                  ) as site:
        report = fetch_pages(project, entries(site.url("/valle")), QUICK)
    document = project.document(report.outcomes[0].doc_id)
    assert document.text == EXPECTED_TEXT["valle-fiesta.html"]
    assert document.meta["extraction"]["encoding"] == "windows-1252 (meta tag; not utf-8, as the HTTP header said)"
