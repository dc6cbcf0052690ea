"""A loopback HTTP server standing in for a messaging platform's bridge.

It records every JSON body the assistant's callback channel posts to it.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List


class CallbackReceiver:
    """Start it, give the assistant :attr:`url`, read :attr:`posts`."""

    def __init__(self) -> None:
        self._posts: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                with receiver._lock:
                    receiver._posts.append(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/bot"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> CallbackReceiver:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    @property
    def posts(self) -> List[Dict[str, Any]]:
        """Every body received so far, in order."""
        with self._lock:
            return list(self._posts)

    def posts_for(self, recipient_id: str) -> List[Dict[str, Any]]:
        """Bodies addressed to one conversation."""
        return [post for post in self.posts if isinstance(post, dict) and post.get("recipient_id") == recipient_id]

    def wait_for(self, condition: Callable[[CallbackReceiver], bool], timeout: float = 30.0) -> bool:
        """Wait until ``condition(self)`` holds; return whether it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self):
                return True
            time.sleep(0.1)
        return condition(self)
