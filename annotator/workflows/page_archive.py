"""The raw pages a fetch downloaded, kept beside the project: ``PROJECT-STEM.pages/HOST/NAME.html.gz``.

Kept so that extraction can be redone (``annotator import PROJECT PROJECT-STEM.pages/*/*.html.gz
--format html``) and a claim checked against the page as it was. The bytes are the server's
answer with only its transfer compression undone; each document's ``meta.fetch.page`` names
its file, ``meta.fetch.sha256`` the hash of those bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from ..core.web_urls import host_of


def archive_folder(project_path: Path) -> Path:
    return project_path.with_name(project_path.stem + ".pages")


def page_name(url: str) -> str:
    """HOST/readable-part-HASH.html.gz: the same address always gives the same name."""
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", host_of(url)) or "unknown-host"
    parts = urlsplit(url)
    readable = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.path} {parts.query}").strip("-")[-60:].strip("-") or "index"
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
    return f"{host}/{readable}-{digest}.html.gz"


def save_page(folder: Path, url: str, body: bytes) -> tuple[str, str]:
    """Write a page (atomically: a half-written file never has the final name); returns its
    name relative to ``folder`` and the SHA-256 of ``body``."""
    name = page_name(url)
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".gz")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(gzip.compress(body, compresslevel=6, mtime=0))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name, hashlib.sha256(body).hexdigest()
