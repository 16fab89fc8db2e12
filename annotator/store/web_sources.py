"""What the fetch workflow asks of a project: which web addresses and texts it already holds.

Read-only; documents come in through the import path (workflows/importing.py) like any other.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .project import Project

# The addresses a document may carry: ``source`` (the address it was fetched from),
# ``meta.url`` (its canonical address) and, for fetched pages, ``meta.fetch.url`` and
# ``meta.fetch.final_url`` (after redirects). json_valid: meta is ours, but a project may
# have been edited by other tools.
_ADDRESSES = """
SELECT id, source,
       CASE WHEN json_valid(meta) THEN json_extract(meta, '$.url') END AS url,
       CASE WHEN json_valid(meta) THEN json_extract(meta, '$.fetch.url') END AS fetched,
       CASE WHEN json_valid(meta) THEN json_extract(meta, '$.fetch.final_url') END AS final
FROM documents
WHERE source LIKE 'http%' OR (json_valid(meta) AND json_type(meta, '$.url') = 'text')
"""


def web_addresses(project: Project) -> Iterator[tuple[int, list[str]]]:
    """(document id, the http(s) addresses it is known by), for every document that has one."""
    for row in project.db.query(_ADDRESSES):
        found = []
        for value in (row["source"], row["url"], row["fetched"], row["final"]):
            if isinstance(value, str) and value.lower().startswith(("http://", "https://")) and value not in found:
                found.append(value)
        if found:
            yield row["id"], found


def ids_by_content_hash(project: Project, hashes: Sequence[str]) -> dict[str, int]:
    """Which of these content hashes the project holds (hash -> document id)."""
    found: dict[str, int] = {}
    for i in range(0, len(hashes), 500):  # under SQLite's bound-parameter limit
        chunk = list(hashes[i : i + 500])
        marks = ",".join("?" * len(chunk))
        for row in project.db.query(f"SELECT id, content_hash FROM documents WHERE content_hash IN ({marks})", chunk):
            found[row["content_hash"]] = row["id"]
    return found

