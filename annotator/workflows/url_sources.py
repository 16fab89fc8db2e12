"""Where the addresses to fetch come from: a list file (one a line, or a CSV with a ``url``
column) and RSS/Atom feeds (feedparser).

A list with a bad line is refused whole (every problem named ``file:line: field: what``), as
an import refuses a file; a feed that cannot be fetched or read raises ``FeedError``.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.problems import InputError, Problem
from ..core.textutil import path_text
from ..core.web_urls import BadUrl, check_url
from ..formats.decoding import read_text
from .http_fetch import Fetcher, FetchFailed, charset_of

URL_COLUMN = "url"


@dataclass
class UrlEntry:
    url: str
    origin: str  # the list file or the feed's address
    line: int | None = None  # in the list file
    feed: dict[str, Any] = field(default_factory=dict)  # the feed entry's title, date and the feed itself

    @property
    def where(self) -> str:
        return f"{self.origin}:{self.line}" if self.line is not None else self.origin


class FeedError(Exception):
    """A feed that cannot be fetched or is not RSS/Atom; the message names it."""


def read_url_list(path: str | Path) -> list[UrlEntry]:
    """The addresses of a list file, in order; ``InputError`` naming every bad line."""
    path = Path(path)
    file = path_text(path)
    text = read_text(path)  # strict UTF-8 with exact byte offsets, or InputError
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    if path.suffix.lower() in (".csv", ".tsv") or _has_url_column(first):
        return _read_csv(file, text, "\t" if path.suffix.lower() == ".tsv" else None)
    entries = url_lines(text, file)
    if not entries:
        raise InputError([Problem(file, None, None, "no addresses in the file (one http(s) address a line)")])
    return entries


def url_lines(text: str, origin: str) -> list[UrlEntry]:
    """One address a line (blank lines and ``#`` comments skipped); ``InputError`` naming every
    bad line of ``origin`` (a file, or the addresses typed into the window)."""
    entries, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            entries.append(UrlEntry(check_url(line), origin, number))
        except BadUrl as exc:
            problems.append(Problem(origin, number, "url", str(exc)))
    if problems:
        raise InputError(problems)
    return entries


def _has_url_column(line: str) -> bool:
    for delimiter in (",", "\t", ";"):
        if delimiter in line and URL_COLUMN in (cell.strip().strip('"').lower() for cell in line.split(delimiter)):
            return True
    return False


def _read_csv(file: str, text: str, delimiter: str | None) -> list[UrlEntry]:
    if delimiter is None:
        head = text.split("\n", 1)[0]
        delimiter = max((",", "\t", ";"), key=head.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(rows)]
    except StopIteration:
        raise InputError([Problem(file, 1, None, "the file is empty (a header row with a url column is needed)")]) \
            from None
    except csv.Error as exc:
        raise InputError([Problem(file, 1, None, f"unreadable CSV: {exc}")]) from exc
    if URL_COLUMN not in header:
        raise InputError([Problem(file, 1, f"column {URL_COLUMN!r}",
                                  f"no such column; the header has: {', '.join(map(repr, header))}")])
    index = header.index(URL_COLUMN)
    entries, problems = [], []
    try:
        for row in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if index >= len(row) or not row[index].strip():
                problems.append(Problem(file, line, URL_COLUMN, "empty"))
                continue
            try:
                entries.append(UrlEntry(check_url(row[index]), file, line))
            except BadUrl as exc:
                problems.append(Problem(file, line, URL_COLUMN, str(exc)))
    except csv.Error as exc:
        problems.append(Problem(file, rows.line_num, None, f"unreadable CSV: {exc}"))
    if problems:
        raise InputError(problems)
    if not entries:
        raise InputError([Problem(file, None, None, "no addresses in the file (the url column is empty)")])
    return entries


def read_feed(fetcher: Fetcher, feed_url: str) -> list[UrlEntry]:
    """The articles an RSS or Atom feed links to, in the feed's order, each with the feed's
    title, the entry's title and date. The feed is fetched like a page (robots.txt, delay)."""
    import feedparser  # noqa: PLC0415 - loaded when a feed is read, not at start-up

    try:
        url = check_url(feed_url)
    except BadUrl as exc:
        raise FeedError(f"--feed: {exc}") from None
    try:
        response = fetcher.get(url)
    except FetchFailed as exc:
        raise FeedError(f"{url}: the feed could not be fetched: {exc}") from None
    headers = {"content-location": response.final_url}
    charset = charset_of(response.headers.get("content-type"))
    if charset:  # feedparser reads the charset from the header it is given
        headers["content-type"] = f"application/xml; charset={charset}"
    # A stream, never the bytes as a string: feedparser treats a string as an address or a file
    # name to open.
    parsed = feedparser.parse(io.BytesIO(response.body), response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:
        media = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media in ("text/html", "application/xhtml+xml"):  # the site's page, not its feed
            raise FeedError(f"{url}: a web page (Content-Type {media}), not an RSS or Atom feed")
        why = parsed.get("bozo_exception")
        if hasattr(why, "getLineNumber"):  # the XML parser's error says "<unknown>" for the feed: name it
            raise FeedError(f"{url}:{why.getLineNumber()}: not an RSS or Atom feed ({why.getMessage()})")
        raise FeedError(f"{url}: not an RSS or Atom feed with entries" + (f" ({why})" if why else ""))
    feed_title = parsed.get("feed", {}).get("title") or ""
    found: list[UrlEntry] = []
    for entry in entries:
        link = entry.get("link") or ""
        try:
            link = check_url(link)
        except BadUrl:
            continue  # an entry without an article address (a podcast episode, a note) has nothing to fetch
        details = {"url": url, "title": feed_title, "entry_title": entry.get("title") or "",
                   "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed"))}
        found.append(UrlEntry(link, url, None, {k: v for k, v in details.items() if v}))
    if not found:
        raise FeedError(f"{url}: none of the feed's {len(entries)} entries links to an article")
    return found


def _iso(parsed: time.struct_time | None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else ""
