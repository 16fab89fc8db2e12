"""A real PostgreSQL for the team-server tests and benchmarks: one cluster per session,
made with initdb and started with pg_ctl in a temporary folder, listening on 127.0.0.1 only.

Passwords are checked (scram-sha-256) for every role but the cluster's superuser, and the
test roles' passwords are in a PGPASSFILE, as an annotator's would be. PostgreSQL refuses to
run as root: as root the cluster runs as ``nobody`` (``runuser``), in a folder it owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROLES = ("lead", "alice", "bob", "carol", "rita", "ruth")  # lead: the owner; rita and ruth: reviewers
PASSWORDS = {role: f"{role}-secret-{i}" for i, role in enumerate(ROLES)}


class ClusterUnavailable(Exception):
    """No PostgreSQL server binaries here, or they cannot be run: the tests are skipped."""


def find_binary(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    found = shutil.which(name) or (candidates[-1] if candidates else None)
    if found is None:
        raise ClusterUnavailable(f"no {name} (install the Debian package postgresql)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.initdb, self.pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                raise ClusterUnavailable("running as root and no runuser to start PostgreSQL as another user")
            self.as_user = [runuser, "-u", "nobody", "--"]
        self.root = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.port = _free_port()
        self.sockets = self.root / "sockets"
        self.sockets.mkdir()
        if self.as_user:
            shutil.chown(self.root, "nobody")
            shutil.chown(self.sockets, "nobody")
        self._run([self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
                   "--locale=C"])
        hba = self.data / "pg_hba.conf"
        hba.write_text("local all all trust\nhost all postgres 127.0.0.1/32 trust\n"
                       "host all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8")
        self.start()
        self.passfile = self.root / "pgpass"
        self.passfile.write_text("".join(f"127.0.0.1:{self.port}:*:{role}:{password}\n"
                                         for role, password in PASSWORDS.items()), encoding="utf-8")
        self.passfile.chmod(0o600)
        self.admin(*[f"CREATE ROLE {role} LOGIN PASSWORD '{password}'" for role, password in PASSWORDS.items()],
                   "ALTER ROLE lead CREATEROLE")
        self.databases = 0

    def add_role(self, role: str) -> None:
        """Another login role, its password added to the PGPASSFILE."""
        password = f"{role}-secret"
        self.admin(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        with self.passfile.open("a", encoding="utf-8") as handle:
            handle.write(f"127.0.0.1:{self.port}:*:{role}:{password}\n")

    def _run(self, command: list[str]) -> None:
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True, cwd=self.root)
        if done.returncode:
            raise ClusterUnavailable(f"{Path(command[0]).name} failed: {(done.stderr or done.stdout).strip()[-400:]}")

    def start(self) -> None:
        options = (f"-k {self.sockets} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run([self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start"])

    def stop(self) -> None:
        self._run([self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        try:
            self.stop()
        except ClusterUnavailable:
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ addresses
    def url(self, role: str, database: str) -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str, database: str = "postgres") -> list:
        import psycopg

        with psycopg.connect(self.url("postgres", database), autocommit=True) as conn:
            result = []
            for statement in statements:
                cur = conn.execute(statement)
                result.append(cur.fetchall() if cur.description else None)
            return result

    def new_database(self) -> str:
        self.databases += 1
        name = f"team{self.databases}_{os.getpid()}"
        self.admin(f"CREATE DATABASE {name} OWNER lead")
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Team:
    """One test's database: the lead's address and each annotator's."""

    def __init__(self, cluster: Cluster, database: str) -> None:
        self.cluster, self.database = cluster, database
        self.team_role = f"{database}_annotators"

    def url(self, role: str = "lead") -> str:
        return self.cluster.url(role, self.database)

    def grant(self, *roles: str) -> None:
        """What the lead runs to let roles in (docs/teams.md, Server)."""
        import psycopg

        with psycopg.connect(self.url("lead"), autocommit=True) as conn:
            for role in roles:
                conn.execute(f"GRANT {self.team_role} TO {role}")

    def sql(self, statement: str, params: list | None = None, role: str = "lead") -> list:
        import psycopg

        with psycopg.connect(self.url(role), autocommit=True) as conn:
            cur = conn.execute(statement, params)
            return cur.fetchall() if cur.description else []


def postgres_required(environ) -> bool:
    """On CI (``CI``, or ``ANNOTATOR_REQUIRE_POSTGRES`` that .ci/run sets) the team-server
    tests must run: .ci/run installs PostgreSQL, so a missing one is a failure there."""
    return bool(environ.get("CI") or environ.get("ANNOTATOR_REQUIRE_POSTGRES"))


def cluster_or_skip(required: bool) -> Cluster:
    """A started cluster; without PostgreSQL (or psycopg) a skip saying why, or a failure when
    ``required``."""
    import pytest

    try:
        import psycopg  # noqa: F401

        return Cluster()
    except (ImportError, ClusterUnavailable) as exc:
        message = f"no PostgreSQL to test the team server against: {exc}"
        if required:
            pytest.fail(message + " (required on CI: .ci/run installs the Debian package postgresql)")
        pytest.skip(message)


def wait_until_up(cluster: Cluster, seconds: float = 10.0) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(cluster.url("postgres", "postgres")).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
