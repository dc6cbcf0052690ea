"""Shared fixtures: measured figures printed at the end of the run."""

from __future__ import annotations

from typing import List

import pytest

_FIGURES: List[str] = []


@pytest.fixture(scope="session")
def report_figure():
    """Return a function that records a line for the "Measured figures" section.

    Figures such as NLU F1 or story pass counts are printed after the test
    summary, even under ``-q``, so CI logs show them.
    """
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _FIGURES:
        terminalreporter.section("Measured figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
