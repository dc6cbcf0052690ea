"""Start local server processes and wait for them: shared by tests and benchmarks.

Each process runs in its own process group, so stopping or killing it reaches its
worker processes too (Sanic forks workers), and writes its output to a log file
whose tail goes into error messages.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Sequence

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float, process: Optional[subprocess.Popen] = None) -> None:
    """Wait until something accepts TCP connections on ``127.0.0.1:port``.

    Raises:
        RuntimeError: if ``process`` exits first or the timeout passes.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before port {port} opened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} after {timeout:.0f}s")


def wait_until_closed(port: int, timeout: float = 15) -> None:
    """Wait until ``127.0.0.1:port`` refuses connections (every process holding it exited).

    Raises:
        RuntimeError: if something still accepts connections after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
        except OSError:
            return
        time.sleep(0.05)
    raise RuntimeError(f"127.0.0.1:{port} still accepts connections after {timeout:.0f}s")


@dataclass
class ManagedProcess:
    """A process started in its own process group, with the log it writes."""

    name: str
    process: subprocess.Popen
    log_path: Path
    port: int = 0
    started_at: float = field(default_factory=time.monotonic)

    @property
    def url(self) -> str:
        """Base URL of the server on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def is_running(self) -> bool:
        """Whether the process is still alive."""
        return self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """Return the last lines of the log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def signal_group(self, sig: int) -> None:
        """Send ``sig`` to the process group this process leads (its workers too)."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        """Stop gracefully with ``sig``, then ``SIGKILL`` after ``timeout`` seconds."""
        self.signal_group(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Kill the whole process group at once, as a crash would."""
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


def spawn(
    name: str,
    args: Sequence[str],
    log_dir: Path,
    *,
    port: int = 0,
    env: Optional[Mapping[str, str]] = None,
    cwd: Path = REPO_ROOT,
) -> ManagedProcess:
    """Start ``args`` in a new session (its own process group), logging to ``log_dir``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / (f"{name}-{port}.log" if port else f"{name}.log")
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(
            list(args),
            cwd=cwd,
            env=full_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return ManagedProcess(name, process, log_path, port)


def wait_for_http(server: ManagedProcess, path: str, timeout: float) -> None:
    """Poll ``GET server.url + path`` until it answers 200.

    Raises:
        RuntimeError: if the process exits or the timeout passes, with its log tail.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.is_running():
            raise RuntimeError(f"{server.name} exited during start-up:\n{server.log_tail()}")
        try:
            if requests.get(server.url + path, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"{server.name} not ready after {timeout:.0f}s:\n{server.log_tail()}")
