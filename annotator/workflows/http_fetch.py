"""Downloading web pages politely, with the standard library (urllib on worker threads).

One ``Fetcher`` is shared by the worker threads of a fetch. For every address it: obeys the
host's robots.txt (fetched once per host; RFC 9309: a 4xx robots.txt allows everything, an
unreachable one disallows everything), waits its turn on the host (``delay`` seconds between
the starts of two requests to one host, or the robots.txt Crawl-delay when that is longer),
sends a User-Agent that says who is asking, follows redirects itself (each hop is checked
against robots.txt), gives up on a request after ``timeout`` seconds, and retries timeouts,
lost connections and 429/5xx answers with a doubling wait (a Retry-After is honoured). Every
wait ends early when ``cancelled()`` turns true.

Failures raise ``FetchFailed`` with a ``kind`` the report groups by.
"""

from __future__ import annotations

import gzip
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from ..core.web_urls import host_of

ROBOTS_TOKEN = "annotator"  # the name robots.txt rules address us by
USER_AGENT = f"annotator/{__version__} (article fetcher for text annotation; obeys robots.txt)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 60.0  # seconds: a server asking for longer is treated as failing now
KEPT_HEADERS = ("content-type", "content-language", "last-modified", "etag")
CHUNK = 65536


@dataclass(frozen=True)
class FetchSettings:
    concurrency: int = 4  # requests under way at once, over all hosts
    delay: float = 1.0  # seconds between the starts of two requests to one host
    timeout: float = 20.0  # seconds for one request (connecting and reading)
    retries: int = 2  # further attempts after a timeout, a lost connection, 429 or 5xx
    backoff: float = 2.0  # seconds before the first retry; doubled for each further one
    obey_robots: bool = True
    user_agent: str = USER_AGENT
    max_bytes: int = 20_000_000
    max_redirects: int = 5


@dataclass
class Response:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # the few worth keeping (KEPT_HEADERS), lower-case names
    body: bytes  # transfer compression undone, nothing else
    attempts: int = 1


class FetchFailed(Exception):
    """``kind``: http, timeout, robots, network, too-large, redirects, cancelled."""

    def __init__(self, kind: str, message: str, status: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.status = status


class _Retry(Exception):
    def __init__(self, failure: FetchFailed, wait: float | None = None):
        super().__init__(str(failure))
        self.failure = failure
        self.wait = wait


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: each hop is checked against robots.txt and waits its turn."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, PLR0913
        return None


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    robots: RobotFileParser | None = None
    robots_checked: bool = False
    robots_note: str = ""  # why everything is disallowed, when robots.txt could not be read
    crawl_delay: float = 0.0


class Fetcher:
    def __init__(self, settings: FetchSettings = FetchSettings(), cancelled: Callable[[], bool] = lambda: False):
        self.settings = settings
        self.cancelled = cancelled
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoRedirects)
        self.requests = 0  # made, robots.txt included (for reports and tests)

    def _host(self, url: str) -> _Host:
        key = host_of(url)
        with self._lock:
            return self._hosts.setdefault(key, _Host())

    # ------------------------------------------------------------------ public
    def get(self, url: str) -> Response:
        """The page at ``url`` (2xx), or ``FetchFailed``."""
        current, hops = url, 0
        while True:
            if self.settings.obey_robots:
                self._check_robots(current)
            response = self._with_retries(current)
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                hops += 1
                if not location:
                    raise FetchFailed("http", f"HTTP {response.status} without a Location", response.status)
                if hops > self.settings.max_redirects:
                    raise FetchFailed("redirects", f"more than {self.settings.max_redirects} redirects")
                current = urljoin(current, location)
                if urlsplit(current).scheme.lower() not in ("http", "https"):
                    raise FetchFailed("redirects", f"redirected to {current!r}, not a web address")
                continue
            response.url = url
            response.final_url = current
            return response

    # ------------------------------------------------------------------ robots.txt
    def _check_robots(self, url: str) -> None:
        host = self._host(url)
        with host.robots_lock:
            if not host.robots_checked:
                self._load_robots(url, host)
                host.robots_checked = True
        if host.robots_note:
            raise FetchFailed("robots", host.robots_note)
        if host.robots is not None and not host.robots.can_fetch(ROBOTS_TOKEN, url):
            raise FetchFailed("robots", "disallowed by the site's robots.txt")

    def _load_robots(self, url: str, host: _Host) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            current = robots_url
            for _hop in range(self.settings.max_redirects + 1):
                response = self._with_retries(current, retries=1)
                if response.status not in REDIRECT_STATUSES or "location" not in response.headers:
                    break
                current = urljoin(current, response.headers["location"])
        except FetchFailed as exc:
            if exc.kind == "cancelled":
                raise
            if exc.status is not None and 400 <= exc.status < 500:
                return  # no robots.txt: everything is allowed
            host.robots_note = f"robots.txt could not be read ({exc}): the site counts as closed to robots"
            return
        parser = RobotFileParser(robots_url)
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        host.robots = parser
        delay = parser.crawl_delay(ROBOTS_TOKEN)
        host.crawl_delay = float(delay) if delay else 0.0

    # ------------------------------------------------------------------ requests
    def _with_retries(self, url: str, retries: int | None = None) -> Response:
        allowed = self.settings.retries if retries is None else retries
        attempt = 0
        while True:
            attempt += 1
            self._wait_turn(url)
            try:
                response = self._once(url)
                response.attempts = attempt
                return response
            except _Retry as retry:
                if attempt > allowed:
                    raise retry.failure from None
                wait = retry.wait if retry.wait is not None else self.settings.backoff * 2 ** (attempt - 1)
                self._sleep(wait)

    def _wait_turn(self, url: str) -> None:
        host = self._host(url)
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + max(self.settings.delay, host.crawl_delay)
        self._sleep(start - now)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            if self.cancelled():
                raise FetchFailed("cancelled", "cancelled before the request was made")
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.05))

    def _once(self, url: str) -> Response:
        request = urllib.request.Request(url, headers={
            "User-Agent": self.settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        })
        with self._lock:
            self.requests += 1
        deadline = time.monotonic() + self.settings.timeout
        try:
            with self._opener.open(request, timeout=self.settings.timeout) as answer:
                return self._read(url, answer.status, answer.headers, answer, deadline)
        except urllib.error.HTTPError as exc:
            headers = exc.headers
            if exc.code in REDIRECT_STATUSES:
                return Response(url, url, exc.code, _kept(headers, location=True), b"")
            failure = FetchFailed("http", f"HTTP {exc.code} {exc.reason}".strip(), exc.code)
            exc.close()  # the error holds the connection open
            if exc.code in RETRY_STATUSES:
                raise _Retry(failure, _retry_after(headers.get("Retry-After") if headers else None)) from None
            raise failure from None
        except (TimeoutError, socket.timeout) as exc:
            raise _Retry(FetchFailed("timeout", f"no answer within {self.settings.timeout:g} s")) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise _Retry(FetchFailed("timeout", f"no answer within {self.settings.timeout:g} s")) from exc
            if isinstance(reason, ssl.SSLError):
                raise FetchFailed("network", f"secure connection failed: {reason}") from exc
            raise _Retry(FetchFailed("network", f"cannot connect: {reason}")) from exc
        except (OSError, http.client.HTTPException) as exc:  # reset mid-answer, a truncated answer, ...
            raise _Retry(FetchFailed("network", f"connection lost: {type(exc).__name__} {exc}".strip())) from exc
        except ValueError as exc:  # an address urllib cannot make a request of (a bad IDN host, ...)
            raise FetchFailed("network", f"cannot request this address: {exc}") from exc

    def _read(self, url: str, status: int, headers, answer, deadline: float) -> Response:  # noqa: ANN001
        limit = self.settings.max_bytes
        declared = headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchFailed("too-large", f"the page is {int(declared):,} bytes; at most {limit:,} are read")
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise _Retry(FetchFailed("timeout", f"the page did not arrive within {self.settings.timeout:g} s"))
            chunk = answer.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise FetchFailed("too-large", f"the page is larger than {limit:,} bytes")
            chunks.append(chunk)
        body = b"".join(chunks)
        if declared and declared.isdigit() and size < int(declared):  # urllib returns a cut answer silently
            raise _Retry(FetchFailed("network", f"connection lost: the answer stopped after {size:,} of "
                                                f"{int(declared):,} bytes"))
        encoding = (headers.get("Content-Encoding") or "").strip().lower()
        try:
            if encoding in ("gzip", "x-gzip"):
                body = gzip.decompress(body)
            elif encoding == "deflate":
                try:
                    body = zlib.decompress(body)
                except zlib.error:
                    body = zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some servers send
        except (OSError, EOFError, zlib.error) as exc:
            raise _Retry(FetchFailed("network", f"damaged {encoding} answer: {exc}")) from exc
        return Response(url, url, status, _kept(headers), body)


def _kept(headers, location: bool = False) -> dict[str, str]:  # noqa: ANN001 - http.client.HTTPMessage
    if headers is None:
        return {}
    names = (*KEPT_HEADERS, "location") if location else KEPT_HEADERS
    return {name: headers[name] for name in names if headers.get(name)}


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After asks for (a number or an HTTP date), capped; None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
