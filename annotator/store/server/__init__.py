"""The team server: a PostgreSQL database every annotator's project syncs with.

The only code that speaks to PostgreSQL (through psycopg 3, the ``annotator[server]``
extra, imported when a connection is made). Parameters are always bound; identifiers (the
team's role) go through ``psycopg.sql.Identifier``. Errors leave as ``ServerError``s
(connection.py) with one line for the user.
"""

from .connection import (
    AuthenticationFailed, BadAddress, DriverMissing, Interrupted, Interruptible, PermissionRefused, ServerError,
    ServerSchemaMismatch, ServerUnreachable, connect, errors,
)

__all__ = ["AuthenticationFailed", "BadAddress", "DriverMissing", "Interrupted", "Interruptible", "PermissionRefused",
           "ServerError",
           "ServerSchemaMismatch", "ServerUnreachable", "connect", "errors"]
