"""A forked server worker never shares the parent's pooled database connections."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from rasa_project.storage.database import engine_for


def test_a_forked_child_starts_with_an_empty_pool(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'fork.db'}")
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    assert engine.pool.checkedin() == 1
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        inherited = engine.pool.checkedin()
        with engine.connect() as connection:
            works = connection.execute(sa.text("SELECT 1")).scalar_one() == 1
        os._exit(0 if inherited == 0 and works else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # The parent's own connection is untouched.
    assert engine.pool.checkedin() == 1
