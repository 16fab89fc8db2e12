"""The label scheme a team server hands its members, read as untrusted input."""

from __future__ import annotations

import json

from ..core.model import Scheme
from ..core.problems import InputError
from ..core.scheme import parse_scheme
from ..store.server import ServerSchemaMismatch


def scheme_of(info: dict[str, str]) -> Scheme:
    """The scheme in the server's ``annotator.meta``; ServerSchemaMismatch when it is missing
    or cannot be read (nothing was published yet, or the row was damaged)."""
    raw = info.get("scheme")
    if raw is None:
        raise ServerSchemaMismatch("nothing was published on this server yet (the lead runs annotator server publish)")
    try:
        return parse_scheme(json.loads(raw), "server scheme")
    except (ValueError, InputError) as exc:
        raise ServerSchemaMismatch(f"the server's label scheme cannot be read: {exc}") from exc
