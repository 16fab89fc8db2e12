"""A news site on 127.0.0.1 for the fetch tests: the pages in tests/web_pages/, served by http.server.

    with NewsSite() as site:
        site.url("/world/2025/04/rail-strike.html")
        site.requests          # every path asked for, in order (robots.txt included)

``{{BASE}}`` in a page becomes the server's address (canonical links, feed links), so the
pages can be written once. Nothing here touches the network beyond the loopback address.
A module of its own (test modules import it by name, as the ui tests do window_driver).
"""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "web_pages"
HARBOUR = "/news/2025/03/harbour-barrier.html"

# path -> (file in web_pages, Content-Type); the page a site serves at each address.
ROUTES = {
    "/robots.txt": ("robots.txt", "text/plain"),
    HARBOUR: ("harbour-barrier.html", "text/html; charset=utf-8"),
    "/news/2025/03/harbour-barrier/amp": ("harbour-barrier-amp.html", "text/html; charset=utf-8"),
    "/world/2025/04/rail-strike.html": ("rail-strike.html", "text/html; charset=utf-8"),
    "/partners/northern-courier/rail-strike": ("partner-copy.html", "text/html"),
    "/news/2025/04/library-reopens.html": ("library-reopens.html", "text/html; charset=utf-8"),
    "/news/local": ("topics-index.html", "text/html; charset=utf-8"),
    # No charset in the header: the page's meta tag says windows-1252.
    "/regional/valle-fiesta.html": ("valle-fiesta.html", "text/html"),
    "/private/memo.html": ("private-memo.html", "text/html; charset=utf-8"),
    "/feed.xml": ("feed.xml", "application/rss+xml; charset=utf-8"),
}
MIRROR = "/copies/harbour-barrier.html"  # the harbour page without its canonical link (a scraper's copy)
SLOW = "/slow/article.html"  # answers after SLOW_SECONDS: longer than the tests' timeout
FLAKY = "/flaky/library.html"  # 503 with Retry-After: 0 the first time, then the library page
REDIRECT = "/r/harbour"  # 301 to the harbour page
CUT = "/cut/article.html"  # promises 5,000 bytes, sends 19 and hangs up
SLOW_SECONDS = 1.5


def page(name: str, base: str) -> bytes:
    """A page's bytes as served by a site at ``base`` (or written to a file for an import)."""
    return (PAGES / name).read_bytes().replace(b"{{BASE}}", base.encode("ascii"))


class NewsSite:
    def __init__(self, latency: float = 0.0, extra: dict | None = None):
        """``extra``: path -> (body, Content-Type), or a function of the request handler that answers."""
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        self.latency = latency
        self.extra = extra or {}
        self._flaky_seen = False
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site._serve(self)

            def log_message(self, *args) -> None:  # quiet test output
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def pages_asked(self) -> list[str]:
        return [path for path in self.requests if path != "/robots.txt"]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.requests.append(path)
            self.user_agents.append(handler.headers.get("User-Agent", ""))
        if self.latency:
            time.sleep(self.latency)
        plain = path.split("?", 1)[0]
        if plain == SLOW:
            time.sleep(SLOW_SECONDS)
            return self.answer(handler, 200, page("library-reopens.html", self.base), "text/html")
        if plain == CUT:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", "5000")
            handler.end_headers()
            handler.wfile.write(b"<html><body><p>Half")
            return None
        if plain == REDIRECT:
            return self.answer(handler, 301, b"", "text/html", {"Location": HARBOUR})
        if plain == FLAKY:
            with self._lock:
                first, self._flaky_seen = not self._flaky_seen, True
            if first:
                return self.answer(handler, 503, b"busy", "text/plain", {"Retry-After": "0"})
            return self.answer(handler, 200, page("library-reopens.html", self.base), "text/html")
        if plain == MIRROR:
            body = re.sub(rb'<link rel="canonical"[^>]*>|<meta property="og:url"[^>]*>', b"",
                          page("harbour-barrier.html", self.base))
            return self.answer(handler, 200, body, "text/html; charset=utf-8")
        if plain in self.extra:
            if callable(self.extra[plain]):  # a test's own answer (headers, a drip, a redirect)
                return self.extra[plain](handler)
            body, content_type = self.extra[plain]
            return self.answer(handler, 200, body, content_type)
        if plain in ROUTES:
            name, content_type = ROUTES[plain]
            return self.answer(handler, 200, page(name, self.base), content_type)
        return self.answer(handler, 404, b"<html><body><h1>Page not found</h1></body></html>", "text/html")

    @staticmethod
    def answer(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
                headers: dict[str, str] | None = None) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)


# What the article of each page is, exactly (paragraphs separated by one blank line).
_HARBOUR_BODY = (
    "Saltmere's harbour council voted 7 to 2 on Thursday evening to build a tidal barrier across the old fishing "
    "basin, ending three years of argument over how to protect the town's waterfront from winter surges.\n\n"
    "“We cannot keep sandbagging the quay every January and hoping for the best,” said councillor Idris Fenwick, "
    "who chaired the meeting. The barrier is expected to cost €41 million, most of it from a regional flood fund.\n\n"
    "Opponents said the structure would harm the estuary's mudflats, where thousands of wading birds feed each "
    "autumn. Lena Ortiz, who speaks for the Saltmere Bird Trust, called the decision “a gamble with the one thing "
    "that brings visitors here in October”.\n\n"
    "Engineers told the meeting that gates in the barrier would stay open except during storm warnings, and that "
    "tidal flow into the basin would fall by less than a tenth.\n\n"
    "Construction is due to start next spring and take about two years. The council will publish the full design "
    "in May, followed by a six-week consultation.")
_RAIL_BODY = (
    "Signal staff and drivers on the Northern Valley line have voted to strike after the operator announced new "
    "weekend rotas, the union said on Tuesday.\n\n"
    "Of the members who took part, 84% backed a walkout on a turnout of 71%. The union's regional secretary, Agnes "
    "Holloway, said the operator had “tried to rewrite people's lives with a spreadsheet”.\n\n"
    "The operator said the rotas had been agreed with staff representatives last year and that it remained open to "
    "talks. No dates for the action have been set.\n\n"
    "Passengers' groups warned that a strike during the Easter holidays would leave thousands without a way to "
    "reach the coast.")
EXPECTED_TEXT = {
    "harbour-barrier.html": _HARBOUR_BODY,
    "harbour-barrier-amp.html": "Saltmere council backs tidal barrier after three-year row\n\n" + _HARBOUR_BODY,
    "rail-strike.html": _RAIL_BODY,
    "partner-copy.html": (
        "Rail workers vote to strike over rota changes\n\nTobias Wren · The Northern Courier\n\n" + _RAIL_BODY
        + "\n\nThis article first appeared in The Northern Courier and is republished under a content-sharing "
          "agreement."),
    "library-reopens.html": (
        "Town library reopens with a longer week\n\n"
        "Saltmere library reopened on Monday after an eight-month refit, and will now open six days a week instead "
        "of four.\n\n"
        "The librarian, Owen Tregear, said the new study room had been booked solid within an hour of the doors "
        "opening. “People have been queuing for desks,” he said.\n\n"
        "The refit cost £2.3 million and added a lift, a children's reading corner and solar panels on the roof."),
    "valle-fiesta.html": (
        "Inés Barrantes · 9 de mayo de 2025\n\n"
        "El ayuntamiento de Valdemora anunció el jueves que la feria de ganado volverá a celebrarse en septiembre, "
        "cinco años después de su última edición.\n\n"
        "«Es una noticia que esperábamos todos», dijo la alcaldesa, Begoña Ruiz, que calculó el presupuesto en "
        "180.000 € — la mitad, aportada por la diputación.\n\n"
        "Los ganaderos de la comarca se mostraron cautos. “Habrá que ver cuántos puestos se montan y a qué precio”, "
        "señaló Julián Peñalver, de la cooperativa local.\n\n"
        "La feria ocupará el recinto junto al río durante cuatro días, del 18 al 21 de septiembre."),
    "private-memo.html": (
        "Internal memo\n\n"
        "This page is listed as disallowed in robots.txt, so a polite fetcher never asks for it unless told to ignore "
        "robots.txt. Its text is long enough to be an article: the editors meet on Thursday to plan the spring issue, "
        "and every desk should bring three ideas."),
}
