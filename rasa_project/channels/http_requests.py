"""Checks every HTTP channel (REST, callback, Telegram) makes before it reads a request.

A request that is not what a channel expects gets a 4xx answer with a short JSON
error ``{"error": "..."}``, never a 5xx and never a traceback: a body over the size
limit is 413, one that is not ``application/json`` is 415, and one that is not a
JSON object (empty, invalid JSON, invalid UTF-8, an array, a string) is 400.

Requiring ``application/json`` also means a browser cannot post to these endpoints
from another site with a plain form: a cross-site JSON request needs a CORS
preflight, which the server does not grant.

Shared secrets (``ASSISTANT_REST_TOKEN``, ``ASSISTANT_CALLBACK_TOKEN``) are checked
with :func:`bearer_token_matches`, in constant time.
"""

from __future__ import annotations

import hmac
import json
from typing import Any, Dict, Optional, Union

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_project.channels.message_limits import MessageLimits


def json_error(message: str, status: int) -> HTTPResponse:
    """Return ``{"error": message}`` with ``status``."""
    return response.json({"error": message}, status=status)


def read_json_object(request: Request, limits: MessageLimits) -> Union[Dict[str, Any], HTTPResponse]:
    """Return the request's JSON object body, or the 4xx response that refuses it."""
    refused = refuse_oversized(request, limits)
    if refused is not None:
        return refused
    content_type = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        return json_error("the body must be JSON, sent with Content-Type: application/json", 415)
    return parse_json_object(request.body)


def refuse_oversized(request: Request, limits: MessageLimits) -> Optional[HTTPResponse]:
    """Return a 413 response if the request body exceeds the limit, else ``None``."""
    declared = request.headers.get("content-length")
    too_long = len(request.body or b"") > limits.max_request_bytes
    if declared is not None and declared.strip().isdigit():
        too_long = too_long or int(declared) > limits.max_request_bytes
    if too_long:
        return json_error(f"the request body is larger than {limits.max_request_bytes} bytes", 413)
    return None


def parse_json_object(body: Optional[bytes]) -> Union[Dict[str, Any], HTTPResponse]:
    """Return ``body`` parsed as a JSON object, or a 400 response saying why it is not one."""
    if not body or not body.strip():
        return json_error("the body is empty: send a JSON object", 400)
    try:
        parsed = json.loads(body)
    except RecursionError:
        return json_error("the body is nested too deeply", 400)
    except UnicodeDecodeError:
        return json_error("the body is not valid UTF-8", 400)
    except ValueError:
        return json_error("the body is not valid JSON", 400)
    if not isinstance(parsed, dict):
        return json_error("the body must be a JSON object, not an array or a single value", 400)
    return parsed


def bearer_token_matches(request: Request, expected: Optional[str]) -> bool:
    """Whether the request carries ``Authorization: Bearer <expected>``.

    With no token configured every request passes; otherwise the header must match
    exactly, compared in constant time.
    """
    if not expected:
        return True
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode("utf-8"), expected.encode("utf-8"))
