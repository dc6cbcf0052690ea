"""Shared fixtures: the trained model, the databases and the action server of the
end-to-end tests, and measured figures."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest

from rasa_project import rasa_overrides
from tests import live_servers
from tests.live_servers import ServerProcess, start_action_server
from tests.storage.postgres_server import PostgresServer, start_postgres_or_skip

_FIGURES: List[str] = []


@pytest.fixture(scope="session")
def report_figure():
    """Return a function that records a line for the "Measured figures" section.

    Figures such as NLU F1 or story pass counts are printed after the test
    summary, even under ``-q``, so CI logs show them.
    """
    return _FIGURES.append


@pytest.fixture
def tracker_overrides() -> Iterator[None]:
    """The tracker store's Rasa overrides installed, as the project's Rasa command line installs them."""
    rasa_overrides.install({rasa_overrides.SWITCH_ENV: "incremental_tracker,conversation_snapshots"})
    yield
    rasa_overrides.install({rasa_overrides.SWITCH_ENV: "off"})


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session, stopped and deleted at the end."""
    server = start_postgres_or_skip()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def model() -> Path:
    """The trained assistant; the tests are skipped with the reason if there is none."""
    try:
        return live_servers.latest_model()
    except FileNotFoundError as error:
        pytest.skip(str(error))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each backend for one test (not set in the environment)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'assistant.db'}"
    return request.getfixturevalue("postgres_server").create_database(f"e2e_{uuid.uuid4().hex[:10]}")


@pytest.fixture(scope="session")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One action server for every end-to-end test: it keeps no state between calls.

    Its records (completed assessments) go to a database of the test run, never to
    the developer's ``var/assistant.db``.
    """
    directory: Path = tmp_path_factory.mktemp("action-server")
    server = start_action_server(directory, env={"ASSISTANT_DATABASE_URL": f"sqlite:///{directory / 'records.db'}"})
    yield server
    server.stop()


#: Set by CI: a test skipped for a missing service or model fails the run there.
REQUIRE_ALL_ENV = "ASSISTANT_REQUIRE_ALL_TESTS"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and os.environ.get(REQUIRE_ALL_ENV) == "1" and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    skipped = len(terminalreporter.stats.get("skipped", []))
    if skipped:
        terminalreporter.section("Skipped tests")
        if os.environ.get(REQUIRE_ALL_ENV) == "1":
            terminalreporter.write_line(
                f"{skipped} tests were skipped: with {REQUIRE_ALL_ENV}=1 (CI) that fails the run. "
                "Install what the skip reasons above name (.ci/run does)."
            )
        else:
            terminalreporter.write_line(
                f"{skipped} tests were skipped (reasons above): this run did not check everything. "
                "CI installs the missing services and fails on any skip."
            )
    if _FIGURES:
        terminalreporter.section("Measured figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
