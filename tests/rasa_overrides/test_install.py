"""The one switch for the Rasa overrides: what it installs, and when it refuses."""

from __future__ import annotations

import logging
from typing import Iterator

import pytest
import rasa.core.processor
from rasa.core.actions.action import RemoteAction
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.utils.endpoints import EndpointConfig

from rasa_project import rasa_overrides
from rasa_project.rasa_overrides import action_connections, graph_runner, remote_actions
from rasa_project.rasa_overrides.graph_runner import SequentialGraphRunner

ENV = rasa_overrides.SWITCH_ENV


@pytest.fixture(autouse=True)
def stock_rasa_afterwards() -> Iterator[None]:
    yield
    rasa_overrides.install({ENV: "off"})


def _patched() -> dict:
    return {
        "graph_runner": rasa.core.processor.DaskGraphRunner is SequentialGraphRunner,
        "remote_actions": RemoteAction._validate_action_result is remote_actions.validate_action_result,
        "action_connections": EndpointConfig.session is action_connections.pooled_session,
    }


def test_all_by_default() -> None:
    installed = rasa_overrides.install({})

    assert installed == frozenset(rasa_overrides.OVERRIDES)
    assert _patched() == {"graph_runner": True, "remote_actions": True, "action_connections": True}
    assert all(rasa_overrides.enabled(name) for name in rasa_overrides.OVERRIDES)


@pytest.mark.parametrize("value", ["off", "none", "", " OFF "])
def test_off_leaves_stock_rasa(value: str) -> None:
    rasa_overrides.install({})

    assert rasa_overrides.install({ENV: value}) == frozenset()
    assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner
    assert _patched() == {"graph_runner": False, "remote_actions": False, "action_connections": False}
    assert not any(rasa_overrides.enabled(name) for name in rasa_overrides.OVERRIDES)


def test_a_list_installs_only_those() -> None:
    installed = rasa_overrides.install({ENV: "remote_actions, conversation_snapshots"})

    assert installed == {"remote_actions", "conversation_snapshots"}
    assert _patched() == {"graph_runner": False, "remote_actions": True, "action_connections": False}
    assert rasa_overrides.enabled("conversation_snapshots")
    assert not rasa_overrides.enabled("incremental_tracker")


def test_an_unknown_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="graph_runer"):
        rasa_overrides.install({ENV: "graph_runer"})


def test_refuses_another_rasa_version_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="rasa_project.rasa_overrides"):
        installed = rasa_overrides.install({}, rasa_version="3.6.22")

    assert installed == frozenset()
    assert _patched() == {"graph_runner": False, "remote_actions": False, "action_connections": False}
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "3.6.22" in warnings[0].getMessage() and rasa_overrides.VERIFIED_RASA_VERSION in warnings[0].getMessage()


def test_verified_version_is_the_installed_one() -> None:
    # The overrides were checked line by line against this release; an upgrade must
    # re-verify them and move this pin, not find out in production.
    assert rasa.__version__ == rasa_overrides.VERIFIED_RASA_VERSION


def test_plain_modules_install_and_uninstall_symmetrically() -> None:
    for module in (graph_runner, remote_actions, action_connections):
        module.install()
    for module in (graph_runner, remote_actions, action_connections):
        module.uninstall()

    assert _patched() == {"graph_runner": False, "remote_actions": False, "action_connections": False}
