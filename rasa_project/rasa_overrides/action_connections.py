"""How the Rasa server reaches the action server: pooled connections and a faster JSON encoder.

Rasa 3.6's ``EndpointConfig.request`` opens a new ``aiohttp.ClientSession`` for every
call, and with it a new connection (a TCP handshake per action call), and aiohttp
encodes the request body with the standard library's ``json.dumps``. A turn in the
assessment form makes one or two action-server calls, each carrying the whole
conversation, so on a loaded server the encoding and the connections were about a
tenth of a turn's CPU.

:func:`install` replaces ``EndpointConfig.session`` so that each session it returns
shares one connection pool per event loop (the session no longer owns, and so no
longer closes, its connector) and encodes JSON bodies with ``ujson`` (already
installed as a dependency of Sanic). The request, its headers, authentication,
timeout and error handling are Rasa's own, unchanged. Idle pooled connections are
dropped after :data:`IDLE_SECONDS`, well before Sanic's five-second keep-alive
closes them from the other side, so a call never starts on a connection the action
server is about to close.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, Callable, Optional

import aiohttp
import ujson
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

#: Seconds an idle pooled connection is kept; below Sanic's default keep-alive (5 s).
IDLE_SECONDS = 2.0

_rasa_session: Callable[[EndpointConfig], aiohttp.ClientSession] = EndpointConfig.session
_connectors: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.TCPConnector] = weakref.WeakKeyDictionary()


def encode_json(value: Any) -> str:
    """Encode a request body as JSON, as ``json.dumps`` would read back, only faster.

    ``ujson`` keeps ``/`` unescaped here so the text matches the standard encoder's
    apart from spacing; non-ASCII characters are escaped, as ``json.dumps`` does.
    """
    return ujson.dumps(value, escape_forward_slashes=False)


def shared_connector(loop: Optional[asyncio.AbstractEventLoop] = None) -> aiohttp.TCPConnector:
    """Return the connection pool of ``loop`` (the running loop by default), creating it once."""
    loop = loop or asyncio.get_running_loop()
    connector = _connectors.get(loop)
    if connector is None or connector.closed:
        connector = aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS)
        _connectors[loop] = connector
    return connector


def pooled_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """Build the session Rasa's ``EndpointConfig.session`` builds, on the running loop's shared pool."""
    connector = shared_connector()
    auth = (
        aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
        if endpoint.basic_auth
        else None
    )
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=connector,
        connector_owner=False,
        json_serialize=encode_json,
    )


def install() -> None:
    """Make every ``EndpointConfig`` of this process use :func:`pooled_session`. Idempotent."""
    EndpointConfig.session = pooled_session


def uninstall() -> None:
    """Restore Rasa's own session per request."""
    EndpointConfig.session = _rasa_session
