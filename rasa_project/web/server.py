"""Serve the clinic's landing page and the chat widget from ``web/``.

A small static file server on the standard library, for development and for
clinics that do not put the files behind their own web server. It serves only the
files a browser needs (the page, ``widget/``, ``vendor/``), never ``node_modules``
or ``package.json``, and adds one generated file, ``/widget-config.js``, which
tells the widget where the Rasa server listens::

    python -m rasa_project.web.server --port 8080 --socket-url http://127.0.0.1:5005

Every response carries a Content-Security-Policy that allows scripts only from this
server and connections only to it and the Rasa server, so even a rendering bug
could not run injected script.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import posixpath
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple
from urllib.parse import unquote, urlsplit

WEB_ROOT = Path(__file__).resolve().parents[2] / "web"
#: Files and folders under ``web/`` that are served; everything else is a 404.
PUBLIC_FILES = frozenset({"index.html", "landing.css", "landing.js"})
PUBLIC_FOLDERS = ("widget/", "vendor/")
CONFIG_PATH = "/widget-config.js"


def websocket_origin(http_origin: str) -> str:
    """Return the ``ws(s)://`` origin that matches an ``http(s)://`` one."""
    if http_origin.startswith("https://"):
        return "wss://" + http_origin[len("https://") :]
    if http_origin.startswith("http://"):
        return "ws://" + http_origin[len("http://") :]
    return http_origin


def origin_of(url: str) -> str:
    """Return the scheme, host and port of ``url``.

    Raises:
        ValueError: if ``url`` is not an absolute http(s) URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Not an absolute http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(socket_url: str) -> str:
    """Return the CSP for pages that talk to the Rasa server at ``socket_url``."""
    rasa_origin = origin_of(socket_url)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {rasa_origin} {websocket_origin(rasa_origin)}",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
            "form-action 'none'",
        )
    )


def widget_config_script(config: Dict[str, object]) -> bytes:
    """Return ``/widget-config.js``: the widget's configuration as a JS object."""
    # Escaping "<" keeps the JSON inert even if someone inlines it in a page.
    payload = json.dumps(config, ensure_ascii=True).replace("<", "\\u003c")
    return f"window.BackPainChatConfig = {payload};\n".encode("ascii")


def resolve_public_file(url_path: str, root: Path = WEB_ROOT) -> Optional[Path]:
    """Map a request path to a public file under ``root``, or ``None``.

    Paths that leave ``root`` (``..``, encoded or not) or name a non-public file
    give ``None``.
    """
    path = posixpath.normpath(unquote(urlsplit(url_path).path))
    relative = path.lstrip("/") or "index.html"
    if relative.startswith("..") or "\x00" in relative:
        return None
    if relative not in PUBLIC_FILES and not relative.startswith(PUBLIC_FOLDERS):
        return None
    candidate = (root / relative).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None
    return candidate if candidate.is_file() else None


class WidgetRequestHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for the public files and the generated config."""

    server_version = "BackPainChat"
    sys_version = ""

    def __init__(self, *args: object, config: Dict[str, object], csp: str, **kwargs: object) -> None:
        self.widget_config = config
        self.csp = csp
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        """Send the file or config asked for."""
        self._respond(include_body=True)

    def do_HEAD(self) -> None:
        """Send the headers of a GET."""
        self._respond(include_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Log requests without query strings (they may carry personal data)."""
        first = str(args[0]).split("?", 1)[0] if args else ""
        super().log_message(format, first, *args[1:])

    def _respond(self, include_body: bool) -> None:
        body, content_type = self._body_for(self.path)
        if body is None:
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", include_body)
            return
        self._send(HTTPStatus.OK, body, content_type, include_body)

    def _body_for(self, url_path: str) -> Tuple[Optional[bytes], str]:
        if urlsplit(url_path).path == CONFIG_PATH:
            return widget_config_script(self.widget_config), "text/javascript; charset=utf-8"
        file_path = resolve_public_file(url_path)
        if file_path is None:
            return None, ""
        content_type = mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        return file_path.read_bytes(), content_type

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, include_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        # Files change with a deploy and there is no build step to fingerprint them.
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if include_body:
            self.wfile.write(body)


def make_server(host: str, port: int, socket_url: str, emergency_number: str = "") -> ThreadingHTTPServer:
    """Create (not start) the page server.

    Args:
        host: interface to bind, e.g. ``127.0.0.1``.
        port: TCP port; 0 picks a free one (read it from ``server.server_address``).
        socket_url: the Rasa server's URL, as the browser reaches it.
        emergency_number: number the widget offers when a payload names none.
    """
    config: Dict[str, object] = {
        "socketUrl": socket_url.rstrip("/"),
        "socketPath": "/socket.io",
        "emergencyNumber": emergency_number,
    }
    handler = partial(WidgetRequestHandler, config=config, csp=content_security_policy(socket_url))
    return ThreadingHTTPServer((host, port), handler)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run the page server until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--socket-url", required=True, help="the Rasa server's URL as the browser reaches it")
    parser.add_argument("--emergency-number", default="", help="e.g. 999; shown when a reply names none")
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port, args.socket_url, args.emergency_number)
    host, port = str(server.server_address[0]), server.server_address[1]
    print(f"Serving the chat page on http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
