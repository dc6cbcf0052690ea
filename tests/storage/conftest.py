"""Fixtures of the storage tests: SQLite and a real PostgreSQL server on loopback."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.storage.postgres_server import PostgresServer

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty database of each backend, also set as ``ASSISTANT_DATABASE_URL``."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'assistant.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database(f"test_{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


@pytest.fixture
def encryption_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh Fernet key, set as ``ASSISTANT_ENCRYPTION_KEYS``."""
    key = Fernet.generate_key().decode("ascii")
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", key)
    return key


@pytest.fixture
def no_encryption(monkeypatch: pytest.MonkeyPatch) -> None:
    """No encryption key configured."""
    monkeypatch.delenv("ASSISTANT_ENCRYPTION_KEYS", raising=False)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    # A developer's own settings must not leak into the tests.
    for name in ("ASSISTANT_ESCALATION_WEBHOOK_URL", "ASSISTANT_RETENTION_DAYS", "ASSISTANT_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)
    # Health reports of the stores the tests create stay out of the project's var/.
    monkeypatch.setenv("ASSISTANT_HEALTH_DIR", str(tmp_path_factory.getbasetemp() / "health"))
