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
from urllib.parse import quote, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from ..core.web_urls import host_of

ROBOTS_TOKEN = "annotator"  # the name robots.txt rules address us by
USER_AGENT = f"annotator/{__version__} (article fetcher for text annotation; obeys robots.txt)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is waited this long, then the page is tried again
KEPT_HEADERS = ("content-type", "content-language", "last-modified", "etag")
CHUNK = 65536
# Printable ASCII stays as written (``%`` too: an escape already made is kept); anything else
# (spaces, non-ASCII letters) is percent-encoded as UTF-8, as browsers do with what is typed
# or pasted into the address bar.
_WIRE_SAFE = "".join(chr(code) for code in range(0x21, 0x7F))
WEB_SCHEMES = ("http", "https")


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


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    robots: RobotFileParser | None = None
    robots_checked: bool = False
    robots_note: str = ""  # why everything is disallowed, when robots.txt could not be read
    robots_kind: str = "robots"  # the failure kind the pages of such a host get
    crawl_delay: float = 0.0


class Fetcher:
    def __init__(self, settings: FetchSettings = FetchSettings(), cancelled: Callable[[], bool] = lambda: False):
        self.settings = settings
        self.cancelled = cancelled
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        # Only http(s) handlers: build_opener's defaults also open file://, ftp:// and data:
        # addresses, which a server's redirect must never make us read. No redirect handler:
        # a 3xx comes back as an answer, and get() follows it (next_hop), each hop checked
        # against robots.txt and waiting its turn.
        self._opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                        urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
            self._opener.add_handler(handler)
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
                hops += 1
                if hops > self.settings.max_redirects:
                    raise FetchFailed("redirects", f"more than {self.settings.max_redirects} redirects")
                current = next_hop(current, response)
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
            raise FetchFailed(host.robots_kind, host.robots_note)
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
                current = next_hop(current, response)  # checked as a page's hops are: http(s) only
        except FetchFailed as exc:
            if exc.kind == "cancelled":
                raise
            if exc.status is not None and 400 <= exc.status < 500:
                return  # no robots.txt: everything is allowed
            host.robots_note = f"robots.txt could not be read ({exc}): the site counts as closed to robots"
            # A site that cannot be reached at all is a network error or a timeout in the
            # report, not a site whose robots.txt disallows us (RFC 9309's "unreachable" is
            # obeyed either way: nothing on it is fetched).
            host.robots_kind = exc.kind if exc.kind in ("network", "timeout") else "robots"
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
        request = urllib.request.Request(wire_address(url), headers={
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
            # read1, not read: read(CHUNK) waits for CHUNK bytes, so a server dripping a byte
            # now and then (each within the socket timeout) kept it, and the deadline check
            # above, waiting for hours. read1 returns what one receive brings, so a page under
            # way when Cancel comes (kept, as documented) still ends within the timeout.
            chunk = answer.read1(CHUNK)
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
                body = _inflate(body, 16 + zlib.MAX_WBITS, limit)
            elif encoding == "deflate":
                try:
                    body = _inflate(body, zlib.MAX_WBITS, limit)
                except zlib.error:
                    body = _inflate(body, -zlib.MAX_WBITS, limit)  # raw deflate, as some servers send
            elif encoding not in ("", "identity"):
                # Never asked for (Accept-Encoding says gzip, deflate): the bytes are not the
                # page, and extracting from them would only say "no article text".
                raise FetchFailed("network", f"the answer is compressed as {encoding!r}, which cannot be read")
        except (EOFError, zlib.error) as exc:
            raise _Retry(FetchFailed("network", f"damaged {encoding} answer: {exc}")) from exc
        return Response(url, url, status, _kept(headers), body)


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    """``data`` decompressed, at most ``limit`` bytes of it: gzip.decompress has no limit, and a
    few hundred kilobytes of gzip can unpack to gigabytes (a decompression bomb)."""
    out, size = [], 0
    while data:
        inflater = zlib.decompressobj(wbits)
        piece = inflater.decompress(data, limit + 1 - size)
        size += len(piece)
        out.append(piece)
        if size > limit:
            raise FetchFailed("too-large", f"the page is larger than {limit:,} bytes once unpacked")
        if not inflater.eof:
            raise EOFError("the compressed data ends before its end-of-stream marker")
        data = inflater.unused_data
        if wbits <= zlib.MAX_WBITS or not data.startswith(b"\x1f\x8b"):
            break  # one stream, or gzip members followed by padding that gzip readers skip
    return b"".join(out)


def wire_address(url: str) -> str:
    """``url`` as it goes into a request line: an IDN host in its ASCII (punycode) form, and
    spaces and non-ASCII characters of the path and query percent-encoded as UTF-8, as a
    browser sends what is pasted into its address bar. http.client refuses anything else."""
    if url.isascii() and " " not in url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, _ = netloc.rpartition("@")
        port = f":{parts.port}" if parts.port is not None else ""
        netloc = quote(userinfo, _WIRE_SAFE) + at + (parts.hostname or "").encode("idna").decode("ascii") + port
    return urlunsplit((parts.scheme, netloc, quote(parts.path, _WIRE_SAFE), quote(parts.query, _WIRE_SAFE), ""))


def next_hop(current: str, response: Response) -> str:
    """Where a redirect answer sends us, or ``FetchFailed``: only to another web address."""
    location = response.headers.get("location")
    if not location:
        raise FetchFailed("http", f"HTTP {response.status} without a Location", response.status)
    try:
        # http.client reads header bytes as Latin-1; servers that put a non-ASCII path in
        # Location send it as UTF-8 (what browsers assume), so read it back that way.
        location = location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    target = location
    try:
        target = urljoin(current, location.strip())
        parts = urlsplit(target)
        parts.port  # noqa: B018 - parsed only to refuse a port that is not a number
        usable = parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
    except ValueError as exc:  # an unparsable Location (a broken IPv6 host, ...)
        raise FetchFailed("redirects", f"redirected to {target!r}, not a valid address ({exc})") from None
    if not usable:
        raise FetchFailed("redirects", f"redirected to {target!r}, not a web address")
    return target


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
