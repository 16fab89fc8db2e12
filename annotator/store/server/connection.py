"""Connecting to the team server (PostgreSQL, through psycopg 3), and what goes wrong there.

Credentials never pass through annotator: libpq finds them where the user keeps them
(``PGPASSFILE`` or ``~/.pgpass``, a service file named by ``service=``, ``PGPASSWORD``,
client certificates). An address holding a password is refused, so a password can never
end up in a project file (which keeps the address) or be asked for on a command line.

TLS: for any host that is not this machine, ``sslmode=require`` unless the user chose a
mode (``sslmode=`` in the address, ``PGSSLMODE``, or a service file, whose settings we
do not override).

Every psycopg failure leaves this module as a ``ServerError`` whose message is one line for
the user; nothing above ``store`` sees psycopg.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}
CONNECT_TIMEOUT = 10  # seconds, unless the address or PGCONNECT_TIMEOUT says otherwise


class ServerError(Exception):
    """The team server cannot be used for this; the message is meant for the user."""


class DriverMissing(ServerError):
    pass


class BadAddress(ServerError):
    """The address given is not one we will use (unparsable, or it holds a password)."""


class ServerUnreachable(ServerError):
    """No connection, or it was lost: nothing was lost locally, sync again later."""


class AuthenticationFailed(ServerError):
    pass


class ServerSchemaMismatch(ServerError):
    """The server holds no annotator schema, or one of another version."""


class PermissionRefused(ServerError):
    """The server refused a write (row-level security: another annotator's layer)."""


class Interrupted(ServerError):
    """The query running was stopped on the user's word (``Interruptible.interrupt``); its
    transaction was rolled back. Not "offline": the server is there."""


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # the [server] extra is optional
        raise DriverMissing("the team server needs psycopg 3: pip install 'annotator[server]'") from exc
    return psycopg


def parse_address(url: str) -> dict[str, str]:
    """The connection parameters of an address (``postgresql://...`` or ``key=value ...``)."""
    psycopg = _psycopg()
    if not isinstance(url, str) or not url.strip():
        raise BadAddress("the server address is empty; give it as postgresql://user@host/database or service=NAME")
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise BadAddress(f"cannot read the server address {url!r}: {_first_line(exc)}") from exc
    if params.get("password"):
        raise BadAddress("the server address holds a password; annotator never stores or takes passwords: put it in "
                         "~/.pgpass (or the file PGPASSFILE names), a service file, or PGPASSWORD, and give the "
                         "address without it")
    return {k: str(v) for k, v in params.items()}


def is_local(params: dict[str, str]) -> bool:
    """Whether every host of the address is this machine (a Unix socket or a loopback name)."""
    hosts = params.get("host", os.environ.get("PGHOST", ""))
    addresses = params.get("hostaddr", "")
    names = [h.strip() for h in hosts.split(",")] + [a.strip() for a in addresses.split(",") if a.strip()]
    return all(h in LOCAL_HOSTS or h.startswith(("/", "@")) for h in names)


def connection_params(url: str) -> dict[str, str]:
    """What we hand libpq: the address, with TLS required off this machine unless the user
    chose a mode, a connect timeout, and our application name."""
    params = parse_address(url)
    chose_tls = "sslmode" in params or "PGSSLMODE" in os.environ or "service" in params or "PGSERVICE" in os.environ
    if not chose_tls and not is_local(params):
        params["sslmode"] = "require"
    if "connect_timeout" not in params and "PGCONNECT_TIMEOUT" not in os.environ:
        params["connect_timeout"] = str(CONNECT_TIMEOUT)
    params.setdefault("application_name", "annotator")
    return params


def display_address(url: str) -> str:
    """The address as we show it (it never holds a password: those are refused)."""
    return url.strip()


def connect(url: str, *, autocommit: bool = False) -> Any:
    """An open psycopg connection, or a ServerError saying why not in one line."""
    psycopg = _psycopg()
    params = connection_params(url)
    try:
        return psycopg.connect(autocommit=autocommit, **params)
    except psycopg.Error as exc:
        raise translate(exc, url) from exc


class Interruptible:
    """A ``connect`` that remembers the connection it made, so another thread can stop the
    query it is running (psycopg's ``cancel`` is safe from any thread): the window's Cancel
    in the middle of a long send or receive. The query then fails as ``Interrupted``."""

    def __init__(self, make: Callable[[str], Any] | None = None) -> None:
        self._make = make or connect
        self._conn: Any = None
        self.interrupted = False

    def __call__(self, url: str) -> Any:
        self._conn = self._make(url)
        if self.interrupted:  # asked to stop before there was anything to stop
            self._conn.close()
            raise Interrupted(f"{display_address(url)}: stopped")
        return self._conn

    def interrupt(self) -> None:
        self.interrupted = True
        conn = self._conn
        if conn is not None and not conn.closed:
            with contextlib.suppress(Exception):  # a connection closing meanwhile: nothing to stop
                conn.cancel()


@contextlib.contextmanager
def errors(url: str) -> Iterator[None]:
    """Turn psycopg failures inside the block into ServerErrors."""
    psycopg = _psycopg()
    try:
        yield
    except psycopg.Error as exc:
        raise translate(exc, url) from exc


def translate(exc: Exception, url: str) -> ServerError:
    """A one-line ServerError for a psycopg failure."""
    psycopg = _psycopg()
    text = _first_line(exc)
    lower = text.lower()
    where = display_address(url)
    if isinstance(exc, psycopg.errors.QueryCanceled) and "user request" in lower:  # ours, not a timeout
        return Interrupted(f"{where}: stopped; nothing of this step was kept")
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        if "row-level security" in lower:
            return PermissionRefused(f"{where}: the server refused the write: a role may write only its own layer "
                                     f"(and reviewers the gold layer) ({text})")
        if "schema annotator" in lower:  # a login role the lead has not let into the team yet
            return PermissionRefused(f"{where}: the server refused: {text} (this role is not in the team yet: the "
                                     "lead runs GRANT <database>_annotators TO <role>, docs/teams.md)")
        return PermissionRefused(f"{where}: the server refused: {text}")
    if isinstance(exc, psycopg.errors.UndefinedTable | psycopg.errors.InvalidSchemaName):
        return ServerSchemaMismatch(f"{where}: no annotator schema on this server (the lead runs "
                                    f"`annotator server init {where}`)")
    if any(s in lower for s in ("password authentication failed", "no password supplied", "authentication failed",
                                "no pg_hba.conf entry", "role \"", "peer authentication")):
        return AuthenticationFailed(f"{where}: the server refused the login: {_after_failed(text)} (the password "
                                    "comes from ~/.pgpass, PGPASSFILE, a service file or PGPASSWORD)")
    if "database \"" in lower and "does not exist" in lower:
        # Not something waiting fixes: the address names another database.
        return ServerError(f"{where}: {_after_failed(text)} (check the database name in the address)")
    if isinstance(exc, psycopg.OperationalError | psycopg.errors.AdminShutdown | psycopg.InterfaceError):
        return ServerUnreachable(f"{where}: the server cannot be reached: {_after_failed(text)}; your work is kept "
                                 "here, sync again later")
    return ServerError(f"{where}: the server said: {text}")


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _after_failed(text: str) -> str:
    """libpq's 'connection to server at "h", port p failed: WHY' -> WHY (FATAL: dropped)."""
    _, sep, reason = text.rpartition(" failed: ")
    reason = reason if sep else text
    return reason.removeprefix("FATAL:").strip()
