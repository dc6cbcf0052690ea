"""The chat page in headless Chromium, talking to the real assistant over socket.io.

The Rasa server runs with the project's socket.io channel on a free loopback port,
the page server on another (so the page is cross-origin to Rasa, as on a clinic's
site), and Debian's Chromium is driven by Playwright. Screenshots of each state go
to ``artifacts/web/``.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List

import pytest
import yaml
from playwright.sync_api import Browser, Dialog, Page, Playwright, sync_playwright

from rasa_project.web.server import make_server
from tests.live_servers import (
    REPO_ROOT,
    ServerProcess,
    free_port,
    start_rasa_server,
    write_endpoints,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO_ROOT / "artifacts" / "web"
CHANNEL_KEY = "rasa_project.channels.webchat.WebChatInput"
REST_CHANNEL_KEY = "rasa_project.channels.rest.RestInput"


def ensure_chromium() -> Path:
    """Return Debian's Chromium, installing it with apt-get if it is missing."""
    if not CHROMIUM.exists() and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update"], check=False, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "chromium", "chromium-driver"],
            check=False,
            capture_output=True,
        )
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed: apt-get install -y chromium chromium-driver")
    return CHROMIUM


def write_test_credentials(directory: Path) -> Path:
    """Write a credentials file with the project's web chat and REST channel sections only."""
    project = yaml.safe_load((REPO_ROOT / "credentials.yml").read_text()) or {}
    section = project.get(CHANNEL_KEY)
    assert section is not None, f"credentials.yml has no {CHANNEL_KEY} section"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "credentials.yml"
    path.write_text(yaml.safe_dump({REST_CHANNEL_KEY: None, CHANNEL_KEY: section}, sort_keys=False))
    return path


@dataclass
class WebAssistant:
    """The Rasa server the page talks to; :meth:`restart` keeps its port and page."""

    server: ServerProcess
    page_url: str
    page_origin: str
    servers_dir: Path
    endpoints: Path
    credentials: Path

    @property
    def url(self) -> str:
        """The Rasa server's base URL."""
        return self.server.url

    def stop(self) -> None:
        """Stop the Rasa server (the page stays up)."""
        self.server.stop()

    def start(self) -> None:
        """Start the Rasa server again on the same port."""
        self.server = start_rasa_server(
            self.servers_dir,
            endpoints=self.endpoints,
            credentials=self.credentials,
            port=self.server.port,
            env={"ASSISTANT_CORS_ORIGINS": self.page_origin},
        )


@pytest.fixture(scope="package")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-assistant")


@pytest.fixture(scope="package")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="package")
def web_assistant(servers_dir: Path, action_server: ServerProcess) -> Iterator[WebAssistant]:
    """The page server and the Rasa server with the web chat channel."""
    rasa_port = free_port()
    socket_url = f"http://127.0.0.1:{rasa_port}"
    page_server = make_server("127.0.0.1", 0, socket_url)
    page_port = page_server.server_address[1]
    thread = threading.Thread(target=page_server.serve_forever, daemon=True)
    thread.start()
    page_origin = f"http://127.0.0.1:{page_port}"
    endpoints = write_endpoints(servers_dir / "web", action_port=action_server.port)
    credentials = write_test_credentials(servers_dir / "web")
    server = start_rasa_server(
        servers_dir,
        endpoints=endpoints,
        credentials=credentials,
        port=rasa_port,
        env={"ASSISTANT_CORS_ORIGINS": page_origin},
    )
    assistant = WebAssistant(server, page_origin + "/", page_origin, servers_dir, endpoints, credentials)
    yield assistant
    assistant.server.stop()
    page_server.shutdown()
    page_server.server_close()


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(
        executable_path=str(ensure_chromium()), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@dataclass
class BrowserPage:
    """A page in a fresh browser context, with every JS dialog it tried to open."""

    page: Page
    dialogs: List[str]


def open_context_page(browser: Browser, **context_options: object) -> BrowserPage:
    """Open a page in a new context (its own localStorage) that records dialogs."""
    context = browser.new_context(**context_options)  # type: ignore[arg-type]
    context.set_default_timeout(60_000)
    page = context.new_page()
    dialogs: List[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return BrowserPage(page, dialogs)


@pytest.fixture()
def desktop(browser: Browser) -> Iterator[BrowserPage]:
    """A desktop-sized page that may use the clipboard."""
    opened = open_context_page(
        browser,
        viewport={"width": 1280, "height": 860},
        permissions=["clipboard-read", "clipboard-write"],
        accept_downloads=True,
    )
    yield opened
    opened.page.context.close()


@pytest.fixture()
def phone(browser: Browser) -> Iterator[BrowserPage]:
    """A phone-sized page (375x667, touch)."""
    opened = open_context_page(
        browser,
        viewport={"width": 375, "height": 667},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield opened
    opened.page.context.close()
