"""Fetch web pages into a project: download, extract the article, store it, report every address.

    entries = read_url_list("urls.txt") + read_feed(Fetcher(settings), feed_url)
    report = fetch_pages(project, entries, settings, progress, cancelled)

Worker threads (``settings.concurrency``) download and extract (http_fetch, formats.html_page)
and keep each raw page in the archive beside the project (page_archive); this thread, which
owns the Project, takes their results in the order of the list and stores the articles
through the import path (importing.import_records), a batch per transaction.

One article, one document. An address is skipped without a request when its key
(core.web_urls.url_key: tracking parameters, AMP variants, ``www.`` ... set aside) is one the
project already holds (so an interrupted fetch resumes where it stopped) or one met earlier
in the list. After the download, the final address, the page's canonical address
(syndicated and AMP copies point to the original) and the text's content hash catch the rest.
Every address gets an outcome: added, in project, duplicate, failed (with why) or not fetched.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..core.records import DocumentRecord
from ..core.textutil import content_hash
from ..core.web_urls import url_key
from ..formats.html_page import Article, NoArticle, decode_page, extract_article
from ..store.project import Project
from ..store.web_sources import ids_by_content_hash, web_addresses
from .http_fetch import Fetcher, FetchFailed, FetchSettings, Response, charset_of
from .importing import ImportOptions, import_records
from .page_archive import archive_folder, save_page
from .url_sources import UrlEntry

HTML_TYPES = ("text/html", "application/xhtml+xml")
BATCH_DOCUMENTS = 50  # stored per transaction ...
BATCH_SECONDS = 2.0  # ... or after this long, so a slow fetch still lands as it goes
OUTCOMES = ("added", "in project", "duplicate", "failed", "not fetched")
# Failure kinds (http_fetch.FetchFailed.kind, and ours), as the report counts them: one, several.
FAILURE_NAMES = {"http": ("HTTP error", "HTTP errors"), "timeout": ("timeout", "timeouts"),
                 "robots": ("disallowed by robots.txt",) * 2, "no-text": ("with no article text",) * 2,
                 "not-html": ("not a web page", "not web pages"), "network": ("network error", "network errors"),
                 "too-large": ("too large",) * 2, "redirects": ("with too many redirects",) * 2,
                 "archive": ("not kept in the archive",) * 2, "import": ("refused by the import",) * 2}

Progress = Callable[[int, int, str], None]  # addresses done, addresses in all, the last one


@dataclass
class UrlOutcome:
    entry: UrlEntry
    outcome: str = "not fetched"  # one of OUTCOMES
    reason: str = ""  # why, for everything but "added"
    kind: str = ""  # a failure's kind (FAILURE_NAMES)
    status: int | None = None  # the HTTP status, when there was an answer
    doc_id: int | None = None  # the document added, or the one this address duplicates
    duplicate_of: UrlOutcome | None = None  # an address of this fetch that added the article

    @property
    def url(self) -> str:
        return self.entry.url


@dataclass
class FetchReport:
    outcomes: list[UrlOutcome] = field(default_factory=list)
    archive: str = ""  # the folder the raw pages were kept in
    requests: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    def failures(self) -> dict[str, int]:
        """Failed addresses by kind."""
        counts: dict[str, int] = {}
        for o in self.outcomes:
            if o.outcome == "failed":
                counts[o.kind] = counts.get(o.kind, 0) + 1
        return counts

    def summary(self) -> str:
        detail = ", ".join(f"{n} {FAILURE_NAMES.get(kind, (kind, kind))[n != 1]}"
                           for kind, n in sorted(self.failures().items()))
        duplicates = self.count("duplicate")
        text = (f"{self.count('added')} added, {self.count('in project')} already in the project, "
                f"{duplicates} duplicate{'s' if duplicates != 1 else ''}, {self.count('failed')} failed"
                + (f" ({detail})" if detail else ""))
        if self.count("not fetched"):
            text += f", {self.count('not fetched')} not fetched"
        return text


class FetchCancelled(Exception):
    def __init__(self, report: FetchReport):
        super().__init__("fetch cancelled")
        self.report = report


@dataclass
class _Page:
    """What a worker hands back for one address."""

    response: Response | None = None
    article: Article | None = None
    failure: FetchFailed | None = None
    encoding: str = ""
    page: str = ""
    sha256: str = ""
    fetched_at: str = ""


def fetch_pages(project: Project, entries: Sequence[UrlEntry], settings: FetchSettings = FetchSettings(),
                progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False,
                fetcher: Fetcher | None = None) -> FetchReport:
    """Fetch ``entries`` into ``project``; raises ``FetchCancelled`` (with the report so far)."""
    report = FetchReport(archive=str(archive_folder(Path(project.path))))
    report.outcomes = [UrlOutcome(entry) for entry in entries]
    owners = _plan(project, report.outcomes)
    todo = [o for o in report.outcomes if o.outcome == "not fetched"]
    done = len(report.outcomes) - len(todo)
    fetcher = fetcher or Fetcher(settings, cancelled)
    store = _Store(project, owners)
    folder = archive_folder(Path(project.path))
    if progress:
        progress(done, len(report.outcomes), "")
    executor = cf.ThreadPoolExecutor(max(1, settings.concurrency), thread_name_prefix="fetch")
    futures = {executor.submit(_fetch_one, fetcher, outcome.url, folder): outcome for outcome in todo}
    results: dict[int, _Page] = {}
    order = {id(outcome): index for index, outcome in enumerate(todo)}
    next_index = 0
    stopped = False
    try:
        pending = set(futures)
        while pending:
            finished, pending = cf.wait(pending, timeout=0.1, return_when=cf.FIRST_COMPLETED)
            if cancelled() and not stopped:
                stopped = True
                for future in pending:
                    future.cancel()  # not started: never will; under way: finishes (at most the timeout)
            for future in finished:
                outcome = futures[future]
                results[order[id(outcome)]] = _Page(failure=FetchFailed("cancelled", "cancelled")) \
                    if future.cancelled() else future.result()
                done += 1
                if progress:
                    progress(done, len(report.outcomes), outcome.url)
            # In list order, so that which of two copies is kept does not depend on timing.
            while next_index in results:
                store.take(todo[next_index], results.pop(next_index))
                next_index += 1
            store.flush_if_due()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        store.flush()
        report.requests = fetcher.requests
    _resolve(report.outcomes)
    if stopped:
        raise FetchCancelled(report)
    return report


def _plan(project: Project, outcomes: list[UrlOutcome]) -> dict[str, int | UrlOutcome]:
    """Settle what needs no request; returns who owns each key (a document id, or an address
    of this fetch) for the duplicate checks after downloading."""
    owners: dict[str, int | UrlOutcome] = {}
    for doc_id, addresses in web_addresses(project):
        for address in addresses:
            owners.setdefault(url_key(address), doc_id)
    first_seen: dict[str, UrlOutcome] = {}
    for outcome in outcomes:
        key = url_key(outcome.url)
        owner = owners.get(key)
        if isinstance(owner, int):
            outcome.outcome, outcome.doc_id = "in project", owner
            outcome.reason = f"already in the project (document #{owner})"
        elif key in first_seen:
            earlier = first_seen[key]
            outcome.outcome, outcome.duplicate_of = "duplicate", earlier
            outcome.reason = f"same address as {earlier.entry.where} ({earlier.url})"
        else:
            first_seen[key] = outcome
    return owners


def _fetch_one(fetcher: Fetcher, url: str, folder: Path) -> _Page:
    """On a worker thread: download, keep the raw page, extract. Never raises."""
    page = _Page()
    try:
        page.response = response = fetcher.get(url)
    except FetchFailed as exc:
        page.failure = exc
        return page
    except Exception as exc:  # noqa: BLE001 - one odd address is one failure, never the run's end
        page.failure = FetchFailed("network", f"{type(exc).__name__}: {exc}")
        return page
    page.fetched_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media and media not in HTML_TYPES:
        page.failure = FetchFailed("not-html", f"not a web page (Content-Type {media})", response.status)
        return page
    try:
        page.page, page.sha256 = save_page(folder, url, response.body)
    except OSError as exc:
        page.failure = FetchFailed("archive", f"cannot keep the page in {folder}: {exc.strerror or exc}")
        return page
    html, page.encoding = decode_page(response.body, charset_of(content_type))
    try:
        page.article = extract_article(html, url=response.final_url)
    except NoArticle as exc:
        page.failure = FetchFailed("no-text", str(exc), response.status)
    except Exception as exc:  # noqa: BLE001 - a page that breaks the extractor is one failure, not the run's end
        page.failure = FetchFailed("no-text", f"the extractor failed on this page ({type(exc).__name__}: {exc})",
                                   response.status)
    return page


class _Store:
    """Takes pages in list order: settles duplicates, collects records, stores them in batches."""

    def __init__(self, project: Project, owners: dict[str, int | UrlOutcome]):
        self.project = project
        self.owners = owners
        self.by_hash: dict[str, UrlOutcome] = {}  # content hashes added by this fetch
        self.batch: list[tuple[UrlOutcome, DocumentRecord]] = []
        self.last_flush = time.monotonic()

    def take(self, outcome: UrlOutcome, page: _Page) -> None:
        if page.response is not None:
            outcome.status = page.response.status
        if page.failure is not None:
            cancelled = page.failure.kind == "cancelled"
            outcome.outcome = "not fetched" if cancelled else "failed"
            outcome.kind = "" if cancelled else page.failure.kind
            outcome.status = page.failure.status or outcome.status
            outcome.reason = "cancelled before it was fetched" if cancelled else str(page.failure)
            return
        assert page.response is not None and page.article is not None
        article = page.article
        canonical = article.meta.get("url")
        keys: dict[str, str] = {}  # key -> how it matched, the first way wins
        for address, how in ((outcome.url, "same address as"), (page.response.final_url, "redirected to"),
                             (canonical, "same article (canonical address) as")):
            if address:
                keys.setdefault(url_key(address), how)
        owner, how = next(((self.owners[k], how) for k, how in keys.items() if k in self.owners), (None, ""))
        text_hash = content_hash(article.text)
        if owner is None:
            owner = self.by_hash.get(text_hash) or ids_by_content_hash(self.project, [text_hash]).get(text_hash)
            how = "same text as"
        if owner is not None:
            outcome.outcome = "duplicate"
            if isinstance(owner, int):
                outcome.doc_id = owner
                outcome.reason = f"{how} document #{owner}"
            else:
                outcome.duplicate_of = owner
                outcome.reason = f"{how} {owner.entry.where} ({owner.url})"
            return
        for key in keys:
            self.owners.setdefault(key, outcome)
        self.by_hash[text_hash] = outcome
        self.batch.append((outcome, _record(outcome.entry, page, canonical)))
        outcome.outcome = "added"

    def flush_if_due(self) -> None:
        if len(self.batch) >= BATCH_DOCUMENTS or (self.batch and time.monotonic() - self.last_flush > BATCH_SECONDS):
            self.flush()

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        reports = import_records(self.project, [(o.url, "html", [record]) for o, record in batch],
                                 ImportOptions(format="html"))
        ids = ids_by_content_hash(self.project, [content_hash(record.text) for _, record in batch])
        for (outcome, record), file_report in zip(batch, reports, strict=True):
            outcome.doc_id = ids.get(content_hash(record.text))
            if file_report.refused or not file_report.added:
                # Checked before; a text the import still refuses (or that another session
                # stored meanwhile) is reported as such, never counted as added.
                problem = next(iter(file_report.problems), None)
                outcome.outcome = "duplicate" if file_report.duplicates else "failed"
                outcome.kind = "" if file_report.duplicates else "import"
                outcome.reason = str(problem) if problem else "same text as a document already in the project"


def _record(entry: UrlEntry, page: _Page, canonical: str | None) -> DocumentRecord:
    assert page.response is not None and page.article is not None
    response, article = page.response, page.article
    meta = dict(article.meta)
    meta["url"] = canonical or response.final_url
    meta["extraction"] = {**meta["extraction"], "encoding": page.encoding}
    fetch = {"url": entry.url, "final_url": response.final_url, "status": response.status,
             "fetched_at": page.fetched_at, "page": page.page, "sha256": page.sha256,
             **{name.replace("-", "_"): value for name, value in response.headers.items()}}
    if entry.feed:
        fetch["feed"] = entry.feed
    meta["fetch"] = fetch
    title = article.title or entry.feed.get("entry_title", "") or entry.url
    return DocumentRecord(text=article.text, line=entry.line or 1, title=title, source=entry.url, meta=meta)


def _resolve(outcomes: list[UrlOutcome]) -> None:
    """Duplicates of an address of this fetch name the document it became."""
    for outcome in outcomes:
        if outcome.duplicate_of is not None and outcome.doc_id is None:
            outcome.doc_id = outcome.duplicate_of.doc_id

