"""A fake Telegram Bot API on loopback that records what the bot sends.

It speaks the Bot API's HTTP contract as aiogram uses it: ``POST
{base}/bot{token}/{method}`` with form-encoded (or JSON) parameters, answered with
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...}``.
Like Telegram it refuses a wrong token (401), an empty or over-long text, HTML it
cannot parse and keyboard buttons whose ``callback_data`` is over 64 bytes (400), so
a bot that would fail against Telegram fails here too.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Callable, Dict, List, Optional, Tuple

from aiohttp import web

#: Tags Telegram accepts with ``parse_mode=HTML``.
TELEGRAM_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span", "tg-spoiler"}
)
MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request: the method and its parameters (JSON values decoded)."""

    method: str
    params: Dict[str, Any]


class BadRequest(Exception):
    """A request Telegram would refuse with 400 and this description."""


class FakeBotApi:
    """The fake server; start it, point the bot at :attr:`base_url`, read :attr:`calls`."""

    def __init__(self, token: str, bot_username: str = "insole_test_bot") -> None:
        self.token = token
        self.bot_username = bot_username
        self.base_url = ""
        self._calls: List[ApiCall] = []
        self._refusals: List[Tuple[ApiCall, str]] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: Optional[web.AppRunner] = None
        self._next_message_id = 1

    def start(self) -> FakeBotApi:
        """Start serving on a free loopback port."""
        self._thread.start()
        port = asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        """Stop serving and end the server thread."""
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    @property
    def calls(self) -> List[ApiCall]:
        """Every request so far, in order."""
        with self._lock:
            return list(self._calls)

    @property
    def refusals(self) -> List[Tuple[ApiCall, str]]:
        """Requests refused with 400 as Telegram would, with the reason."""
        with self._lock:
            return list(self._refusals)

    def calls_to(self, method: str, chat_id: Optional[int] = None) -> List[ApiCall]:
        """Requests to ``method`` (case-insensitive), optionally only for one chat."""
        return [
            call
            for call in self.calls
            if call.method.lower() == method.lower()
            and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
        ]

    def wait_for(self, condition: Callable[[FakeBotApi], bool], timeout: float = 30.0) -> bool:
        """Wait until ``condition(self)`` holds; return whether it did within ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self):
                return True
            time.sleep(0.1)
        return condition(self)

    async def _serve(self) -> int:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _read_params(request)
        with self._lock:
            self._calls.append(ApiCall(method, params))
        try:
            result = self._result(method, params)
        except BadRequest as error:
            with self._lock:
                self._refusals.append((ApiCall(method, params), str(error)))
            return _error(400, f"Bad Request: {error}")
        if result is None:
            return _error(404, "Not Found: method not found")
        return web.json_response({"ok": True, "result": result})

    def _result(self, method: str, params: Dict[str, Any]) -> Any:
        name = method.lower()
        if name in ("setwebhook", "deletewebhook", "answercallbackquery"):
            return True
        if name == "getme":
            return {
                "id": int(self.token.split(":")[0]),
                "is_bot": True,
                "first_name": "Insole test",
                "username": self.bot_username,
            }
        if name == "sendmessage":
            validate_message(params)
            return self._message(params, text=params["text"])
        if name == "sendphoto":
            return self._message(params, photo=[{"file_id": "photo", "file_unique_id": "p", "width": 1, "height": 1}])
        return None

    def _message(self, params: Dict[str, Any], **content: Any) -> Dict[str, Any]:
        with self._lock:
            message_id = self._next_message_id
            self._next_message_id += 1
        chat_id = params.get("chat_id")
        try:
            chat_id = int(chat_id)
        except (TypeError, ValueError):
            raise BadRequest("chat not found") from None
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": int(self.token.split(":")[0]), "is_bot": True, "first_name": "Insole test"},
            **content,
        }


def validate_message(params: Dict[str, Any]) -> None:
    """Refuse a ``sendMessage`` the way Telegram does.

    Raises:
        BadRequest: empty or too long text, unparsable HTML, bad keyboard.
    """
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise BadRequest("message is too long")
    if str(params.get("parse_mode", "")).upper() == "HTML":
        _check_telegram_html(text)
    markup = params.get("reply_markup")
    if markup is not None:
        if not isinstance(markup, dict):
            raise BadRequest("can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if not button.get("text") or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES or not data:
                    raise BadRequest("BUTTON_DATA_INVALID")


class _TelegramHtmlChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_tags: List[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in TELEGRAM_HTML_TAGS:
            raise BadRequest(f'can\'t parse entities: unsupported start tag "{tag}"')
        self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags.pop() != tag:
            raise BadRequest(f'can\'t parse entities: unexpected end tag "{tag}"')


def _check_telegram_html(text: str) -> None:
    checker = _TelegramHtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.open_tags:
        raise BadRequest("can't parse entities: unclosed start tag")
    # A bare '<' or '&' that is not an entity is refused by Telegram.
    stripped = text
    for tag in TELEGRAM_HTML_TAGS:
        stripped = stripped.replace(f"<{tag}>", "").replace(f"</{tag}>", "")
    if "<" in stripped or ">" in stripped:
        raise BadRequest("can't parse entities: unescaped '<' or '>'")


async def _read_params(request: web.Request) -> Dict[str, Any]:
    if request.content_type == "application/json":
        raw = await request.json()
        return dict(raw) if isinstance(raw, dict) else {}
    form = await request.post()
    params: Dict[str, Any] = {}
    for key, value in form.items():
        text = value if isinstance(value, str) else str(value)
        if key in ("reply_markup", "allowed_updates", "entities"):
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        else:
            params[key] = text
    return params


def _error(status: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": status, "description": description}, status=status)
