"""Getting articles from the web: fetch."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..core.problems import InputError
from ..store import ProjectError
from . import main
from .common import EXIT_INPUT, EXIT_PROJECT, fail, open_or_exit

EXIT_INTERRUPTED = 130  # what shells report for a Ctrl+C


@main.command("fetch")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("url_lists", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--feed", "feeds", multiple=True, metavar="FEED_URL",
              help="An RSS or Atom feed: fetch the articles it links to (may be given more than once).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Requests under way at once.")
@click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Seconds between two requests to the same site (a longer robots.txt Crawl-delay wins).")
@click.option("--timeout", type=click.FloatRange(0.1), default=20.0, show_default=True,
              help="Seconds before a request is given up.")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Further attempts after a timeout, a lost connection, 429 or 5xx (waits double each time).")
@click.option("--ignore-robots", is_flag=True, help="Fetch pages that the site's robots.txt disallows.")
@click.option("--user-agent", default=None, help="The User-Agent header (default: annotator/VERSION ...).")
def fetch(project: str, url_lists: tuple[str, ...], feeds: tuple[str, ...], concurrency: int, delay: float,
          timeout: float, retries: int, ignore_robots: bool, user_agent: str | None) -> None:
    """Download web pages into PROJECT (created if missing): the addresses in URL_LISTS (one a line,
    or a CSV with a url column) and the articles of each --feed. Each page's article becomes a
    document; the raw pages are kept in PROJECT-STEM.pages/. Addresses already in the project are
    skipped, so running the same command again resumes an interrupted fetch."""
    from ..workflows.fetching import FetchCancelled, fetch_pages
    from ..workflows.http_fetch import USER_AGENT, Fetcher, FetchSettings
    from ..workflows.url_sources import FeedError, read_feed, read_url_list

    if not url_lists and not feeds:
        fail("error: give a file of addresses, or --feed FEED_URL", EXIT_INPUT)
    settings = FetchSettings(concurrency=concurrency, delay=delay, timeout=timeout, retries=retries,
                             obey_robots=not ignore_robots, user_agent=user_agent or USER_AGENT)
    entries = []
    try:
        for path in url_lists:
            entries.extend(read_url_list(path))
    except InputError as exc:
        fail("\n".join(f"error: {p}" for p in exc.problems) + "\nnothing was fetched", EXIT_INPUT)
    live = sys.stderr.isatty()

    def progress(done: int, total: int, url: str) -> None:
        if live:
            click.echo(f"\r{f'{done}/{total} {url}'[:78]:<78}", err=True, nl=False)

    with _interruptible() as interrupted:
        fetcher = Fetcher(settings, interrupted.is_set)
        try:
            for feed in feeds:
                entries.extend(read_feed(fetcher, feed))
        except FeedError as exc:
            fail(f"error: {exc}\nnothing was fetched", EXIT_INPUT)
        cancelled = False
        with open_or_exit(project, create=True) as opened:
            try:
                report = fetch_pages(opened, entries, settings, progress, interrupted.is_set, fetcher)
            except FetchCancelled as exc:
                report, cancelled = exc.report, True
            except ProjectError as exc:
                fail(f"error: {exc}", EXIT_PROJECT)
            finally:
                if live:
                    click.echo(f"\r{'':<78}\r", err=True, nl=False)
    for outcome in report.outcomes:
        if outcome.outcome == "added":
            continue
        label = {"in project": "skipped", "not fetched": "not fetched"}.get(outcome.outcome, outcome.outcome)
        click.echo(f"{label}: {outcome.entry.where}: {outcome.url}: {outcome.reason}", err=True)
    click.echo(report.summary())
    if report.count("added"):
        click.echo(f"raw pages kept in {report.archive}")
    if cancelled:
        click.echo("interrupted: the pages fetched so far are stored; run the same command again to go on", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if report.count("failed"):
        sys.exit(EXIT_INPUT)


@contextmanager
def _interruptible() -> Iterator[threading.Event]:
    """Ctrl+C asks the fetch to stop (pages under way still land); a second one stops at once."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag  # signals reach only the main thread (a test runner's worker, say)
        return

    def handle(signum, frame):  # noqa: ANN001
        if flag.is_set():
            raise KeyboardInterrupt
        flag.set()
        click.echo("\nstopping: waiting for the requests under way (Ctrl+C again to stop at once)", err=True)

    previous = signal.signal(signal.SIGINT, handle)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)
