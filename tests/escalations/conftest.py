"""Fixtures of the escalation tests: the storage tests' databases (SQLite and a real PostgreSQL)."""

from __future__ import annotations

from tests.storage.conftest import (  # noqa: F401  (fixtures, found by pytest under these names)
    _isolated_environment,
    database_url,
    encryption_key,
    no_encryption,
)
