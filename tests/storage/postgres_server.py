"""A throw-away PostgreSQL server on loopback, for tests.

Uses the server binaries of the machine (Debian's ``postgresql`` package, or
``$PG_BIN``). PostgreSQL refuses to run as root, so as root the server runs as
the ``postgres`` user (``runuser``) in a temporary directory owned by it. The
Unix socket also lives in that directory, and TCP listens on 127.0.0.1 only, on a
free port.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import pytest
import sqlalchemy as sa

#: Where Debian installs each major version's server binaries.
DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"


def postgres_bin_dir() -> Optional[Path]:
    """Return the directory with ``initdb`` and ``pg_ctl``, or ``None`` if missing.

    ``$PG_BIN`` first, then Debian's newest installed version, then ``$PATH``.
    """
    candidates = [Path(os.environ["PG_BIN"])] if os.environ.get("PG_BIN") else []
    versions = sorted(DEBIAN_PG_ROOT.glob("*/bin"), key=lambda p: _major(p.parent.name), reverse=True)
    candidates.extend(versions)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _major(version: str) -> int:
    return int(version) if version.isdigit() else -1


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running test server; :meth:`create_database` gives each test its own database."""

    bin_dir: Path
    root: Path
    port: int
    as_user: Optional[str]

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        """Return the SQLAlchemy URL of ``database`` (trust authentication on loopback)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)

    def start(self) -> None:
        """Create the cluster and start the server, waiting until it accepts connections."""
        self._run(
            [
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(
            [
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        )

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run(["pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the server's log, for failure messages."""
        try:
            return "\n".join((self.root / "server.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _run(self, command: List[str]) -> None:
        full = [str(self.bin_dir / command[0]), *command[1:]]
        if self.as_user:
            full = ["runuser", "-u", self.as_user, "--", *full]
        result = subprocess.run(full, capture_output=True, text=True, cwd=self.root, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(
                f"{command[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{self.log_tail()}"
            )


def start_postgres() -> PostgresServer:
    """Start a fresh server on a free loopback port.

    Raises:
        FileNotFoundError: if the PostgreSQL server binaries are not installed.
    """
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) are not installed.")
    root = Path(tempfile.mkdtemp(prefix="pg-test-"))
    as_user: Optional[str] = None
    if os.geteuid() == 0:
        as_user = SERVER_USER
        account = pwd.getpwnam(SERVER_USER)
        os.chown(root, account.pw_uid, account.pw_gid)
        root.chmod(0o700)
    server = PostgresServer(bin_dir=bin_dir, root=root, port=_free_port(), as_user=as_user)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def start_postgres_or_skip() -> PostgresServer:
    """Start a fresh server as :func:`start_postgres` does; skip the test when the binaries are missing."""
    if postgres_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    return start_postgres()
