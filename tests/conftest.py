"""Shared fixtures: the action server of the end-to-end tests, and measured figures."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, List

import pytest

from rasa_project import rasa_overrides
from tests.live_servers import ServerProcess, start_action_server

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
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One action server for every end-to-end test: it keeps no state between calls.

    Its records (completed assessments) go to a database of the test run, never to
    the developer's ``var/assistant.db``.
    """
    directory: Path = tmp_path_factory.mktemp("action-server")
    server = start_action_server(
        directory, env={"ASSISTANT_DATABASE_URL": f"sqlite:///{directory / 'records.db'}"}
    )
    yield server
    server.stop()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _FIGURES:
        terminalreporter.section("Measured figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
