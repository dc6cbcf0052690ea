"""A real HTTP receiver on loopback that plays the clinic's escalation webhook."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional


class WebhookReceiver:
    """Answers POSTs with scripted status codes and keeps what it received.

    Args:
        statuses: status code of each successive request; the last one repeats.
        hold: if given, every request waits for this event before answering.
        delay_s: seconds every request takes to be answered (a slow clinic).
        port: the port to listen on; a free one by default.
    """

    def __init__(
        self,
        statuses: Optional[List[int]] = None,
        hold: Optional[threading.Event] = None,
        delay_s: float = 0.0,
        port: int = 0,
    ) -> None:
        self.statuses = list(statuses or [200])
        self.hold = hold
        self.delay_s = delay_s
        self.requests: List[Dict[str, Any]] = []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.arrived:
                    receiver.requests.append(
                        {"json": json.loads(body), "headers": dict(self.headers), "path": self.path}
                    )
                    index = len(receiver.requests) - 1
                    receiver.arrived.notify_all()
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                if receiver.delay_s:
                    time.sleep(receiver.delay_s)
                status = receiver.statuses[min(index, len(receiver.statuses) - 1)]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The webhook URL to configure."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/escalations"

    def wait_for(self, count: int, timeout: float = 20.0) -> bool:
        """Wait until ``count`` requests have arrived; return whether they did."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()
