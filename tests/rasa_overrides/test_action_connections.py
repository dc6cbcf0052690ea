"""Calls to the action server on pooled connections: Rasa's requests, fewer connections."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from aiohttp import web
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_project.rasa_overrides import action_connections

BODIES: Dict[str, Any] = {
    "plain": {"next_action": "validate_assessment_form", "sender_id": "abc"},
    "non-ASCII, emoji and markup": {"text": 'ça fait mal 😣 <b>1/2</b> \\ "quoted"', "sender_id": "ü"},
    "numbers": {"small": 0.1, "third": 1 / 3, "big": 2**53, "negative": -7, "exp": 1e-7, "flag": True, "none": None},
}


def _tracker_state() -> Dict[str, Any]:
    """A real tracker's state, as Rasa sends it to the action server."""
    tracker = DialogueStateTracker.from_events(
        "person/1",
        [
            ActionExecuted("action_listen"),
            UserUttered(
                "my back hurts since 3/4 weeks — can't sleep 😣",
                {"name": "inform", "confidence": 0.8731},
                [{"entity": "pain_duration", "value": "acute", "start": 18, "end": 25}],
            ),
            SlotSet("pain_severity", 7.0),
        ],
        slots=Domain.empty().slots,
    )
    return tracker.current_state()


@pytest.fixture(autouse=True)
def _stock_rasa_afterwards() -> Iterator[None]:
    yield
    action_connections.uninstall()


@pytest.mark.parametrize("body", [*BODIES.values(), _tracker_state()], ids=[*BODIES, "tracker state"])
def test_encodes_what_the_standard_encoder_encodes(body: Any) -> None:
    assert json.loads(action_connections.encode_json(body)) == json.loads(json.dumps(body))


def test_non_ascii_is_escaped_as_the_standard_encoder_does() -> None:
    assert action_connections.encode_json({"text": "ça/😣"}) == json.dumps({"text": "ça/😣"}, separators=(",", ":"))


class _ActionServer:
    """A loopback HTTP server that records each request's connection, query and body."""

    def __init__(self, keepalive_seconds: float = 75.0) -> None:
        self.requests: List[Tuple[Tuple[str, int], Dict[str, str], Any, str]] = []
        self._keepalive_seconds = keepalive_seconds
        self._runner: web.AppRunner

    async def _webhook(self, request: web.Request) -> web.Response:
        peer = request.transport.get_extra_info("peername") if request.transport else ("?", 0)
        body = await request.json()
        self.requests.append((tuple(peer[:2]), dict(request.query), body, request.headers.get("X-Check", "")))
        if body.get("fail"):
            return web.Response(status=500, text="boom")
        return web.json_response({"events": [], "responses": [], "echo": body})

    async def __aenter__(self) -> str:
        app = web.Application()
        app.router.add_post("/webhook", self._webhook)
        self._runner = web.AppRunner(app, keepalive_timeout=self._keepalive_seconds)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        return f"http://127.0.0.1:{port}/webhook"

    async def __aexit__(self, *_: Any) -> None:
        # The pool outlives sessions by design; close this loop's before the loop ends.
        await action_connections.shared_connector().close()
        await self._runner.cleanup()

    async def idle_connections_closed(self) -> None:
        """Wait until the server has closed every kept-alive connection."""
        server = self._runner.server
        assert server is not None
        for _ in range(200):
            if not server.connections:
                # The server's side is closed; one more pass of the loop lets the
                # client's side read the close before the next call looks for a connection.
                await asyncio.sleep(0.05)
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the server kept its connections open")

    @property
    def connections(self) -> int:
        return len({peer for peer, _, _, _ in self.requests})


def _play(bodies: List[Dict[str, Any]], keepalive_seconds: float = 75.0) -> Tuple[List[Any], _ActionServer]:
    """Post ``bodies`` in turn through an ``EndpointConfig``; with a short keep-alive, each
    call waits until the server has closed the previous call's connection."""
    server = _ActionServer(keepalive_seconds)

    async def run() -> List[Any]:
        async with server as url:
            endpoint = EndpointConfig(url, token="s3cret", headers={"X-Check": "kept"})
            replies = []
            for body in bodies:
                if keepalive_seconds < 1:
                    await server.idle_connections_closed()
                replies.append(await endpoint.request(json=body, method="post"))
            return replies

    return asyncio.run(run()), server


def test_rasa_opens_a_connection_per_call() -> None:
    action_connections.uninstall()

    _, server = _play([BODIES["plain"]] * 3)

    assert server.connections == 3


def test_installed_calls_share_one_connection_with_the_same_request() -> None:
    action_connections.install()
    bodies = [BODIES["plain"], BODIES["non-ASCII, emoji and markup"], _tracker_state()]

    replies, server = _play(bodies)

    assert server.connections == 1
    assert [reply["echo"] for reply in replies] == [json.loads(json.dumps(body)) for body in bodies]
    assert all(query == {"token": "s3cret"} and header == "kept" for _, query, _, header in server.requests)


def test_a_connection_the_server_closed_is_not_reused() -> None:
    action_connections.install()

    replies, server = _play([BODIES["plain"]] * 2, keepalive_seconds=0.1)

    assert len(replies) == 2
    assert server.connections == 2


def test_an_error_status_raises_rasa_error_and_keeps_the_pool_usable() -> None:
    action_connections.install()
    server = _ActionServer()

    async def run() -> Any:
        async with server as url:
            endpoint = EndpointConfig(url)
            with pytest.raises(ClientResponseError) as error:
                await endpoint.request(json={"fail": True}, method="post")
            assert error.value.status == 500
            return await endpoint.request(json=BODIES["plain"], method="post")

    assert asyncio.run(run())["echo"] == BODIES["plain"]
