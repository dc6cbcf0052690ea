"""Parse the held-out NLU set once per run and print its scores under any verbosity."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Sequence

import pytest
from _pytest.terminal import TerminalReporter
from rasa.core.agent import Agent

from tests.live_servers import latest_model
from tests.nlu.held_out_scoring import (
    HeldOutResult,
    load_held_out,
    score_entities,
    score_intents,
)

_REPORT_KEY = pytest.StashKey[str]()


async def _parse_all(agent: Agent, texts: Sequence[str]) -> List[Dict[str, Any]]:
    # One message at a time, as the server would see them.
    return [await agent.parse_message(text) for text in texts]


@pytest.fixture(scope="session")
def held_out_result(pytestconfig: pytest.Config) -> HeldOutResult:
    """The trained model's scores on ``tests/nlu/held_out.yml``.

    The model is ``$ASSISTANT_MODEL`` or the newest ``models/*.tar.gz``; the tests
    that need it are skipped when there is none (CI trains before testing).
    """
    try:
        model = latest_model()
    except FileNotFoundError:
        pytest.skip("no trained model: set ASSISTANT_MODEL or run `rasa train` into models/")
    if not model.is_file():
        pytest.skip(f"ASSISTANT_MODEL points to {model}, which does not exist")
    agent = Agent.load(str(model))
    examples = load_held_out()
    parses = asyncio.run(_parse_all(agent, [example.text for example in examples]))
    macro_f1, report, misclassified = score_intents(examples, parses)
    result = HeldOutResult(
        model=str(model),
        intent_macro_f1=macro_f1,
        intent_report=report,
        misclassified=misclassified,
        entity_scores=score_entities(examples, parses),
    )
    pytestconfig.stash[_REPORT_KEY] = result.render()
    return result


def pytest_terminal_summary(terminalreporter: TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    """Print the held-out report after the test summary, even under ``-q``."""
    report = config.stash.get(_REPORT_KEY, None)
    if report is not None:
        terminalreporter.write_sep("=", "held-out NLU evaluation")
        terminalreporter.write_line(report)
