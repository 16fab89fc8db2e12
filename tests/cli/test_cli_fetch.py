"""annotator fetch and annotator import --format html, as a user runs them."""

from __future__ import annotations

from cli_driver import rows, run
from web_site import EXPECTED_TEXT, HARBOUR, NewsSite, page

QUICK = ("--delay", "0", "--timeout", "0.5", "--retries", "0")


def test_cli_fetch_a_list_then_resume(tmp_path):
    project = tmp_path / "news.annotator"
    with NewsSite() as site:
        urls = tmp_path / "urls.txt"
        urls.write_text(f"{site.url(HARBOUR)}\n{site.url('/gone.html')}\n", encoding="utf-8")
        result = run("fetch", project, urls, *QUICK)
        assert result.exit_code == 2  # an address failed
        assert result.stdout.splitlines() == [
            "1 added, 0 already in the project, 0 duplicates, 1 failed (1 HTTP error)",
            f"raw pages kept in {tmp_path / 'news.pages'}"]
        assert f"failed: {urls}:2: {site.url('/gone.html')}: HTTP 404 Not Found" in result.stderr
        assert rows(project, "SELECT text FROM documents") == [(EXPECTED_TEXT["harbour-barrier.html"],)]

        urls.write_text(f"{site.url(HARBOUR)}?utm_source=x\n{site.url('/world/2025/04/rail-strike.html')}\n",
                        encoding="utf-8")
        again = run("fetch", project, urls, *QUICK)
        assert again.exit_code == 0, again.output
        assert again.stdout.startswith("1 added, 1 already in the project, 0 duplicates, 0 failed")
        assert f"skipped: {urls}:1: " in again.stderr and "already in the project (document #1)" in again.stderr
        assert site.pages_asked().count(HARBOUR) == 1
    assert len(list((tmp_path / "news.pages").rglob("*.html.gz"))) == 2  # harbour and rail strike, kept raw


def test_cli_fetch_a_feed(tmp_path):
    project = tmp_path / "news.annotator"
    with NewsSite() as site:
        result = run("fetch", project, "--feed", site.url("/feed.xml"), *QUICK)
    assert result.stdout.startswith("4 added, 0 already in the project, 0 duplicates, 1 failed (1 HTTP error)")
    assert rows(project, "SELECT count(*) FROM documents") == [(4,)]


def test_cli_fetch_refuses_a_bad_list_and_leaves_the_project_alone(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("https://a.example/1\nwww.b.example/2\n", encoding="utf-8")
    result = run("fetch", tmp_path / "news.annotator", urls)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {urls}:2: url: 'www.b.example/2' is not an http:// or https:// address\n"
                             "nothing was fetched\n")
    assert not (tmp_path / "news.annotator").exists()


def test_cli_fetch_needs_something_to_fetch(tmp_path):
    result = run("fetch", tmp_path / "news.annotator")
    assert result.exit_code == 2 and "give a file of addresses, or --feed FEED_URL" in result.stderr


def test_cli_fetch_a_feed_that_is_not_there(tmp_path):
    with NewsSite() as site:
        result = run("fetch", tmp_path / "news.annotator", "--feed", site.url("/nothing.xml"), *QUICK)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {site.url('/nothing.xml')}: the feed could not be fetched: HTTP 404")


def test_cli_import_html_pages(tmp_path):
    pages = tmp_path / "saved"
    pages.mkdir()
    for name in ("rail-strike.html", "topics-index.html"):
        (pages / name).write_bytes(page(name, "https://news.example"))
    project = tmp_path / "news.annotator"
    result = run("import", project, pages, "--format", "html")
    assert result.exit_code == 2  # the page without an article was refused
    assert (f"error: {pages / 'topics-index.html'}: no article text found (only 10 characters of main text; "
            "250 needed); not imported") in result.stderr
    assert rows(project, "SELECT title, text, json_extract(meta, '$.url') FROM documents") == [
        ("Rail workers vote to strike over rota changes", EXPECTED_TEXT["rail-strike.html"],
         "https://news.example/world/2025/04/rail-strike.html")]
    auto = run("import", tmp_path / "auto.annotator", pages / "rail-strike.html")
    assert "read as html (guessed from the name)" in auto.stderr and auto.exit_code == 0
