"""The loaded heap is frozen out of full collections once a server with the project's channels starts."""

from __future__ import annotations

import asyncio
import gc
from typing import Any, Callable, Iterator

import pytest
from sanic import Blueprint, Sanic

from rasa_project import process_memory
from rasa_project.channels.callback import CallbackInput
from rasa_project.channels.rest import RestInput
from rasa_project.channels.telegram import TelegramInput
from rasa_project.channels.webchat import WebChatInput


async def _ignore(_: Any) -> None:
    return None


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start and end each test with nothing frozen, so freezes cannot leak into other tests."""
    # Sanic rewrites its request handling in place when an app starts; in test mode
    # it keeps the original, so that several apps can start in one process.
    monkeypatch.setattr(Sanic, "test_mode", True)
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), ("1", True), ("on", True), ("0", False), ("off", False), (" False ", False), ("no", False)],
)
def test_switch(value: Any, expected: bool) -> None:
    environ = {} if value is None else {process_memory.SWITCH_ENV: value}
    assert process_memory.enabled(environ) is expected


def test_freezing_moves_live_objects_out_of_collection(unfrozen: None) -> None:
    kept = [object() for _ in range(10)]
    assert gc.get_freeze_count() == 0
    assert process_memory.freeze_loaded_heap() >= len(kept)
    assert gc.get_freeze_count() >= len(kept)


def _start_and_stop(blueprint: Blueprint) -> int:
    """Start a real Sanic server with ``blueprint`` on loopback, stop it, and return the freeze count seen."""

    async def run() -> int:
        app = Sanic(f"freeze_{id(blueprint)}")
        app.blueprint(blueprint)
        server = await app.create_server(host="127.0.0.1", port=0, return_asyncio_server=True)
        assert server is not None
        await server.startup()
        await server.before_start()
        await server.after_start()
        frozen = gc.get_freeze_count()
        server.close()
        await server.wait_closed()
        return frozen

    return asyncio.run(run())


CHANNELS: dict[str, Callable[[], Blueprint]] = {
    "rest": lambda: RestInput().blueprint(_ignore),
    "callback": lambda: CallbackInput.from_credentials({}).blueprint(_ignore),
    "telegram": lambda: TelegramInput.from_credentials({}).blueprint(_ignore),
    "webchat": lambda: WebChatInput.from_credentials({}).blueprint(_ignore),
}


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_each_channel_freezes_the_heap_once_the_server_has_started(
    channel: str, unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(process_memory.SWITCH_ENV, raising=False)
    blueprint = CHANNELS[channel]()
    assert gc.get_freeze_count() == 0
    assert _start_and_stop(blueprint) > 0


def test_the_switch_turns_the_freeze_off(unfrozen: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(process_memory.SWITCH_ENV, "0")
    assert _start_and_stop(RestInput().blueprint(_ignore)) == 0
