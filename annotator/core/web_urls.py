"""Web addresses: checking them, and the key under which two addresses are one article.

``url_key`` is for comparing, never for storing or fetching: the addresses a user gave and
the ones a page declares are kept as they were. Two addresses have the same key when they
differ only by what news sites add for tracking or serve the same article under: scheme,
``www.``, letter case of the host, a default port, a fragment, a trailing slash, the order of
the query, tracking parameters (``utm_*``, ``fbclid``, ...), and the AMP variants (``/amp``,
``.amp``, ``?amp=1``, ``amp.`` hosts, Google's AMP cache).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

# Parameters that say how a reader arrived, never which article it is. Lower case; a name
# matches whatever its case in the address.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
    "vero_id", "wickedid", "rb_clickid", "s_kwcid", "ncid", "ocid", "cmpid", "icid", "ito", "sr_share", "smid",
    "ref_src", "ref_url", "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
    "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "xtor", "wt_mc", "wt.mc_id", "share",
    "amp", "outputtype", "amp_js_v", "usqp", "__twitter_impression",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")
AMP_VALUES = frozenset({"", "1", "true", "amp"})  # ?amp, ?amp=1, ?outputType=amp
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


class BadUrl(ValueError):
    """Not an address the program can fetch; the message says why."""


def check_url(text: str) -> str:
    """The address without the white space around it, or ``BadUrl``: http(s) with a host only."""
    url = text.strip()
    if not url:
        raise BadUrl("empty")
    if any(c.isspace() for c in url):
        raise BadUrl(f"{url!r} has white space inside it")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"{url!r} is not a valid address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadUrl(f"{url!r} is not an http:// or https:// address")
    if not parts.hostname:
        raise BadUrl(f"{url!r} has no host name")
    del port  # parsed only to reject a port that is not a number
    return url


def host_of(url: str) -> str:
    """host[:port] as requests go to it (what politeness delays and robots.txt are kept per)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and str(port) != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def url_key(url: str) -> str:
    """The comparison key of an address (see the module's docstring). Never raises."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return url.strip()
    path = parts.path or "/"
    if _AMP_CACHE.match(host):
        # Google's AMP cache: /c/s/HOST/PATH (the "s" says https) serves HOST/PATH.
        pieces = path.split("/")
        if len(pieces) > 3 and pieces[1] in ("c", "v", "i"):
            rest = pieces[3:] if pieces[2] == "s" else pieces[2:]
            host, path = rest[0].lower(), "/" + "/".join(rest[1:])
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    if port is not None and str(port) not in _DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    # %7E and ~ are one character; the path is compared decoded, then encoded one way.
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
    path = re.sub(r"/amp/?$", "", path) or "/"
    path = re.sub(r"\.amp(\.html?)?$", lambda m: m.group(1) or "", path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(k) or (k.lower() in ("amp", "outputtype") and v.lower() not in AMP_VALUES)]
    return host + path + ("?" + urlencode(sorted(query)) if query else "")
