"""fetch_pages against a news site on 127.0.0.1 (tests/web_site.py): outcomes, texts, duplicates, robots, resume."""

from __future__ import annotations

import gzip
import json
import sqlite3

import pytest
from web_site import CUT, EXPECTED_TEXT, FLAKY, HARBOUR, MIRROR, REDIRECT, SLOW, NewsSite, page

from annotator.workflows.fetching import FetchCancelled, fetch_pages
from annotator.workflows.http_fetch import USER_AGENT, Fetcher, FetchSettings
from annotator.workflows.url_sources import UrlEntry, read_feed

# Short waits everywhere: the suite stays fast, and the slow page still times out.
QUICK = FetchSettings(concurrency=4, delay=0.0, timeout=0.5, retries=1, backoff=0.01)
AMP = "/news/2025/03/harbour-barrier/amp"
RAIL = "/world/2025/04/rail-strike.html"
PARTNER = "/partners/northern-courier/rail-strike"
VALLE = "/regional/valle-fiesta.html"


@pytest.fixture
def site():
    with NewsSite() as running:
        yield running


def entries(site, *paths: str) -> list[UrlEntry]:
    return [UrlEntry(site.url(path), "urls.txt", line) for line, path in enumerate(paths, start=1)]


def documents(path) -> list[tuple[str, str, str, dict]]:
    conn = sqlite3.connect(path)
    try:
        return [(title, source, text, json.loads(meta)) for title, source, text, meta in
                conn.execute("SELECT title, source, text, meta FROM documents ORDER BY position")]
    finally:
        conn.close()


def outcomes(report) -> list[tuple[str, str, str]]:
    return [(o.url.rsplit("/", 1)[-1], o.outcome, o.reason) for o in report.outcomes]


def test_fetching_a_list_reports_every_address(project, site):
    paths = (HARBOUR, HARBOUR + "?utm_source=newsletter&fbclid=IwAR2", AMP, RAIL, PARTNER, "/news/local", VALLE,
             "/gone.html", SLOW, "/private/memo.html", MIRROR, REDIRECT)
    report = fetch_pages(project, entries(site, *paths), QUICK)

    harbour = site.url(HARBOUR)
    assert outcomes(report) == [
        ("harbour-barrier.html", "added", ""),
        ("harbour-barrier.html?utm_source=newsletter&fbclid=IwAR2", "duplicate", f"same address as urls.txt:1 ({harbour})"),
        ("amp", "duplicate", f"same article (canonical address) as urls.txt:1 ({harbour})"),
        ("rail-strike.html", "added", ""),
        ("rail-strike", "duplicate", f"same article (canonical address) as urls.txt:4 ({site.url(RAIL)})"),
        ("local", "failed", "no article text found (only 10 characters of main text; 250 needed)"),
        ("valle-fiesta.html", "added", ""),
        ("gone.html", "failed", "HTTP 404 Not Found"),
        ("article.html", "failed", "no answer within 0.5 s"),
        ("memo.html", "failed", "disallowed by the site's robots.txt"),
        ("harbour-barrier.html", "duplicate", f"same text as urls.txt:1 ({harbour})"),
        ("harbour", "duplicate", f"redirected to urls.txt:1 ({harbour})"),
    ]
    by_kind = {o.url.rsplit("/", 1)[-1]: (o.kind, o.status) for o in report.outcomes if o.outcome == "failed"}
    assert by_kind == {"local": ("no-text", 200), "gone.html": ("http", 404), "article.html": ("timeout", None),
                       "memo.html": ("robots", None)}
    assert report.summary() == ("3 added, 0 already in the project, 5 duplicates, "
                                "4 failed (1 HTTP error, 1 with no article text, 1 disallowed by robots.txt, 1 timeout)")
    ids = [o.doc_id for o in report.outcomes]
    assert ids[0] == ids[1] == ids[2] == ids[10] == ids[11] and ids[3] == ids[4] and len({ids[0], ids[3], ids[6]}) == 3

    stored = documents(project.path)
    assert [(title, source, text) for title, source, text, _ in stored] == [
        ("Saltmere council backs tidal barrier after three-year row", harbour, EXPECTED_TEXT["harbour-barrier.html"]),
        ("Rail workers vote to strike over rota changes", site.url(RAIL), EXPECTED_TEXT["rail-strike.html"]),
        ("La feria de Valdemora vuelve tras cinco años", site.url(VALLE), EXPECTED_TEXT["valle-fiesta.html"]),
    ]
    # The robots.txt-disallowed page was never asked for; the others once each (the timeout twice: one retry).
    assert "/private/memo.html" not in site.requests
    assert site.requests.count("/robots.txt") == 1
    assert site.requests.count(SLOW) == 2 and site.requests.count(HARBOUR) == 2  # the list's and the redirect's
    assert set(site.user_agents) == {USER_AGENT}


def test_fetching_keeps_metadata_and_the_raw_page(project, site):
    fetch_pages(project, entries(site, VALLE), QUICK)
    [(_title, _source, _text, meta)] = documents(project.path)
    fetch = meta.pop("fetch")
    extraction = meta.pop("extraction")
    assert meta == {"author": "Inés Barrantes", "date": "2025-05-09", "url": site.url(VALLE),
                    "sitename": "El Eco del Valle", "language": "es"}
    assert extraction["encoding"] == "windows-1252 (meta tag)" and extraction["tool"] == "trafilatura"
    assert fetch["url"] == fetch["final_url"] == site.url(VALLE) and fetch["status"] == 200
    assert fetch["content_type"] == "text/html" and fetch["fetched_at"].endswith("Z")
    kept = project.path.with_name("test.pages") / fetch["page"]
    assert gzip.decompress(kept.read_bytes()) == page("valle-fiesta.html", site.base)  # the bytes as served


def test_fetching_retries_a_busy_server(project, site):
    report = fetch_pages(project, entries(site, FLAKY), QUICK)
    assert outcomes(report) == [("library.html", "added", "")]
    assert site.requests.count(FLAKY) == 2
    assert documents(project.path)[0][2] == EXPECTED_TEXT["library-reopens.html"]


def test_fetching_gives_up_after_the_retries(project, site):
    report = fetch_pages(project, entries(site, FLAKY), FetchSettings(delay=0, retries=0, timeout=0.5))
    assert outcomes(report) == [("library.html", "failed", "HTTP 503 Service Unavailable")]
    assert report.outcomes[0].status == 503 and documents(project.path) == []


def test_fetching_ignores_robots_only_when_told(project, site):
    report = fetch_pages(project, entries(site, "/private/memo.html"),
                         FetchSettings(delay=0, timeout=0.5, obey_robots=False))
    assert outcomes(report) == [("memo.html", "added", "")]
    assert "/robots.txt" not in site.requests
    assert documents(project.path)[0][2] == EXPECTED_TEXT["private-memo.html"]


def test_fetching_again_fetches_nothing_twice(project, site):
    fetch_pages(project, entries(site, HARBOUR, RAIL), QUICK)
    asked = len(site.pages_asked())
    report = fetch_pages(project, entries(site, RAIL + "?utm_campaign=x", HARBOUR, AMP + "?amp=1"), QUICK)
    assert [o.outcome for o in report.outcomes] == ["in project", "in project", "duplicate"]
    assert report.outcomes[0].reason == "already in the project (document #2)"
    assert site.pages_asked()[asked:] == [AMP + "?amp=1"]  # the AMP copy had to be read to know it
    assert len(documents(project.path)) == 2


def test_fetching_resumes_after_a_cancel(project, site):
    paths = (HARBOUR, RAIL, VALLE, "/news/2025/04/library-reopens.html", PARTNER)
    asked: list[int] = []

    def cancel_after_first() -> bool:
        return len(site.pages_asked()) >= 1

    with pytest.raises(FetchCancelled) as stopped:
        fetch_pages(project, entries(site, *paths), FetchSettings(concurrency=1, delay=0.2, timeout=0.5),
                    cancelled=cancel_after_first)
    first = stopped.value.report
    assert [o.outcome for o in first.outcomes] == ["added"] + ["not fetched"] * 4
    assert first.outcomes[1].reason == "cancelled before it was fetched"
    assert len(documents(project.path)) == 1  # the page under way when Cancel came is stored
    asked.append(len(site.pages_asked()))

    report = fetch_pages(project, entries(site, *paths), QUICK)
    assert [o.outcome for o in report.outcomes] == ["in project", "added", "added", "added", "duplicate"]
    assert sorted(site.pages_asked()) == sorted(paths)  # every page asked for once, over both runs
    assert [text for _t, _s, text, _m in documents(project.path)] == [
        EXPECTED_TEXT[name] for name in ("harbour-barrier.html", "rail-strike.html", "valle-fiesta.html",
                                         "library-reopens.html")]


def test_fetching_a_feed(project, site):
    fetcher = Fetcher(QUICK)
    found = read_feed(fetcher, site.url("/feed.xml"))
    assert [e.url.removeprefix(site.base) for e in found] == [
        HARBOUR + "?utm_source=rss&utm_medium=feed&utm_campaign=local", RAIL, "/news/2025/04/library-reopens.html",
        VALLE, "/news/2025/05/pier-cafe-award.html"]
    assert found[0].feed == {"url": site.url("/feed.xml"), "title": "The Coastal Ledger – Local news",
                             "entry_title": "Saltmere council backs tidal barrier after three-year row",
                             "published": "2025-03-14T09:30:00Z"}
    report = fetch_pages(project, found, QUICK, fetcher=fetcher)
    assert [o.outcome for o in report.outcomes] == ["added"] * 4 + ["failed"]
    assert report.outcomes[4].reason == "HTTP 404 Not Found"
    stored = documents(project.path)
    assert stored[0][3]["fetch"]["feed"]["entry_title"] == "Saltmere council backs tidal barrier after three-year row"
    assert stored[3][3]["fetch"]["feed"]["published"] == "2025-05-09T08:00:00Z"  # +0200 in the feed, UTC here
    assert site.requests.count("/robots.txt") == 1  # one robots.txt for the feed and its pages


def test_fetching_waits_between_requests_to_one_host(project, site):
    import time

    started = time.monotonic()
    fetch_pages(project, entries(site, HARBOUR, RAIL, VALLE), FetchSettings(concurrency=4, delay=0.15, timeout=2))
    # robots.txt and three pages: four starts, 0.15 s apart, however many threads there are.
    assert time.monotonic() - started >= 0.45


def test_fetching_a_broken_answer_is_one_failure(project, site):
    report = fetch_pages(project, entries(site, CUT, RAIL), QUICK)
    assert [(o.outcome, o.kind) for o in report.outcomes] == [("failed", "network"), ("added", "")]
    assert report.outcomes[0].reason == "connection lost: the answer stopped after 19 of 5,000 bytes"
    assert site.requests.count(CUT) == 2  # retried once
