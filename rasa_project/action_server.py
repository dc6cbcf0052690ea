"""The action server: rasa_sdk's app, answering only the Rasa server.

``python -m rasa_project.action_server --actions actions --port 5055`` takes the
same options as ``rasa run actions`` and serves the same rasa_sdk application
(:func:`rasa_sdk.endpoint.create_app`, not a copy of it), with these differences:

- Every request except ``GET /health`` must carry ``Authorization: Bearer <token>``
  with the shared secret ``ACTION_SERVER_TOKEN`` (at least 16 characters), which the
  Rasa server sends from ``endpoints.yml``; anything else is refused with 401.
  rasa_sdk's own server takes any caller, and a call to ``action_delete_my_data``
  with a forged tracker erased a conversation. The server refuses to start
  without the variable; ``scripts/serve``, ``scripts/chat`` and ``scripts/web``
  generate one per run when it is unset.
- A ``/webhook`` body that is not a JSON object is a 400, not a 500.
- A failing action is answered with a short JSON error: rasa_sdk's handler sent
  the whole request, every message of the conversation, back in the error.
- Message text is kept out of the logs at INFO and above
  (:mod:`rasa_project.log_privacy`): the texts of the conversation an action is
  called for are withheld while the call runs.

This module lives in ``rasa_project`` rather than ``actions/`` because rasa_sdk
imports every module of the actions package as actions; the server that hosts
them is not one.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
import zlib
from typing import Any, Dict, List, Optional, Sequence

from rasa_project import log_privacy

logger = logging.getLogger(__name__)

TOKEN_ENV = "ACTION_SERVER_TOKEN"
MIN_TOKEN_CHARS = 16
#: The only route that answers without the token: load balancers and scripts poll it.
PUBLIC_PATHS = frozenset({"/health"})


def token_from_environment(environ: Optional[Dict[str, str]] = None) -> str:
    """Return ``ACTION_SERVER_TOKEN``.

    Raises:
        ValueError: if it is unset or shorter than 16 characters.
    """
    token = ((os.environ if environ is None else environ).get(TOKEN_ENV) or "").strip()
    if len(token) < MIN_TOKEN_CHARS:
        raise ValueError(
            f"{TOKEN_ENV} must be set to a secret of at least {MIN_TOKEN_CHARS} characters, "
            "the same one the Rasa server sends (endpoints.yml)."
        )
    return token


def authorised(authorization: Optional[str], token: str) -> bool:
    """Whether an ``Authorization`` header value is ``Bearer <token>`` (compared in constant time)."""
    scheme, _, presented = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return False
    return hmac.compare_digest(presented.strip().encode("utf-8"), token.encode("utf-8"))


def conversation_texts(action_call: Dict[str, Any]) -> List[str]:
    """Return the texts of the person's messages in an action call's tracker."""
    tracker = action_call.get("tracker")
    if not isinstance(tracker, dict):
        return []
    events = tracker.get("events")
    texts = [
        event.get("text")
        for event in (events if isinstance(events, list) else [])
        if isinstance(event, dict) and event.get("event") == "user"
    ]
    latest = tracker.get("latest_message")
    if isinstance(latest, dict):
        texts.append(latest.get("text"))
    return [text for text in texts if isinstance(text, str)]


def create_app(action_package: str, token: str, cors_origins: Optional[Sequence[str]] = None) -> Any:
    """Return rasa_sdk's application for ``action_package``, answering only holders of ``token``."""
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from sanic import response
    from sanic.exceptions import SanicException
    from sanic.request import Request
    from sanic.response import HTTPResponse

    from rasa_project.channels.http_requests import json_error, parse_json_object

    app = create_sdk_app(action_package, cors_origins=list(cors_origins or []))

    @app.middleware("request")
    async def check_request(request: Request) -> Optional[HTTPResponse]:
        if request.path in PUBLIC_PATHS:
            return None
        if not authorised(request.headers.get("authorization"), token):
            return json_error("missing or wrong bearer token", 401)
        if request.path == "/webhook" and request.method == "POST":
            body = request.body or b""
            if request.headers.get("content-encoding") == "deflate":
                try:
                    body = zlib.decompress(body)
                except zlib.error:
                    return json_error("the body is not valid deflate data", 400)
            action_call = parse_json_object(body)
            if isinstance(action_call, HTTPResponse):
                return action_call
            request.ctx.withheld = log_privacy.hold(conversation_texts(action_call))
        return None

    @app.middleware("response")
    async def release_texts(request: Request, _: HTTPResponse) -> None:
        log_privacy.release(getattr(request.ctx, "withheld", None) or [])
        request.ctx.withheld = None

    # Replaces rasa_sdk's handler, which echoed the whole request (the conversation)
    # in the error and answered 500 to unknown routes.
    @app.exception(Exception)
    async def on_error(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            return response.json({"error": str(exception)}, status=exception.status_code)
        logger.error("The action server failed to handle a request to %s.", request.path, exc_info=exception)
        return json_error("the action server failed to handle the request", 500)

    return app


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Start the action server with rasa_sdk's options (``--actions``, ``--port``, ...)."""
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_argument_parser, create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    log_privacy.install()
    parser: argparse.ArgumentParser = create_argument_parser()
    args = parser.parse_args(argv)
    try:
        token = token_from_environment()
    except ValueError as error:
        print(f"The action server cannot start: {error}", file=sys.stderr)
        raise SystemExit(2) from error

    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()

    app = create_app(args.actions or "actions", token, cors_origins=args.cors)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    logger.info(
        "Action server on %s://%s:%s, answering only callers with %s.",
        "https" if ssl_context else "http",
        host,
        args.port,
        TOKEN_ENV,
    )
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
