"""What a person does with the chat widget, as Playwright steps."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Pattern, Union

from playwright.sync_api import Locator, Page, expect

#: A real assistant answers within seconds; a cold model's first answer takes longer.
REPLY_TIMEOUT_MS = 60_000

Expected = Union[str, Pattern[str]]


class ChatPage:
    """The landing page with the chat widget, driven like a person would."""

    def __init__(self, page: Page, artifacts: Path) -> None:
        self.page = page
        self.artifacts = artifacts

    # --- locators

    @property
    def panel(self) -> Locator:
        return self.page.locator(".bpc-panel")

    @property
    def log(self) -> Locator:
        return self.page.get_by_role("log")

    @property
    def input(self) -> Locator:
        return self.page.get_by_label("Your message")

    @property
    def bot_messages(self) -> Locator:
        return self.page.locator(".bpc-message.bpc-bot")

    @property
    def user_messages(self) -> Locator:
        return self.page.locator(".bpc-message.bpc-user")

    @property
    def quick_replies(self) -> Locator:
        return self.page.locator(".bpc-quick-replies button")

    @property
    def emergency_banner(self) -> Locator:
        return self.page.locator(".bpc-emergency")

    @property
    def connection_status(self) -> Locator:
        return self.page.locator(".bpc-connection")

    # --- actions

    @property
    def headlines(self) -> Locator:
        return self.page.locator(".bpc-message.bpc-bot .bpc-headline")

    def open(self, url: str) -> None:
        """Load the landing page and open the chat from its launcher (the bot greets)."""
        self.page.goto(url)
        self.page.get_by_role("button", name="Chat with our back pain assistant").click()
        expect(self.panel).to_be_visible()

    def start_check(self, url: str, first_question: Expected) -> None:
        """Load the landing page and start the check from its main button."""
        self.page.goto(url)
        self.page.get_by_role("button", name="Start the check").click()
        expect(self.panel).to_be_visible()
        self.wait_for_bot(first_question)

    def deliver(self, message: Dict[str, Any]) -> None:
        """Hand ``message`` to the widget as the socket's ``bot_uttered`` event would."""
        self.page.evaluate(
            """(message) => window.BackPainChat.socket.listeners("bot_uttered")
                .forEach((handler) => handler(message))""",
            message,
        )

    def first_reply_to_last_message(self) -> Locator:
        """The bot's first message after the person's last one."""
        return self.user_messages.last.locator(
            "xpath=following-sibling::div[contains(concat(' ', @class, ' '), ' bpc-bot ')][1]"
        )

    def is_read_from_its_top(self, message: Locator) -> bool:
        """Whether the top of ``message`` is visible in the conversation's scrolled view."""
        return bool(
            message.evaluate(
                """(node) => {
                    const log = node.closest(".bpc-log").getBoundingClientRect();
                    const top = node.getBoundingClientRect().top;
                    return top >= log.top - 1 && top < log.bottom - 24;
                }"""
            )
        )

    def is_scrolled_to_the_end(self) -> bool:
        """Whether the conversation is scrolled to its last line."""
        return bool(self.log.evaluate("(log) => log.scrollHeight - log.scrollTop - log.clientHeight < 2"))

    def wait_for_greeting(self) -> None:
        """Wait until the bot has greeted (its reply to the widget's hidden greet)."""
        self.wait_for_bot(re.compile(r"not a doctor", re.I))

    def wait_for_bot(self, expected: Expected) -> Locator:
        """Wait until a bot message matching ``expected`` is shown; return the newest match."""
        matches = self.bot_messages.filter(has_text=expected)
        expect(matches.last).to_be_visible(timeout=REPLY_TIMEOUT_MS)
        return matches.last

    def type_message(self, text: str) -> None:
        """Type ``text`` into the message box and press Enter."""
        self.input.fill(text)
        self.input.press("Enter")

    def say(self, text: str, then: Expected) -> Locator:
        """Type ``text``, then wait for a bot reply matching ``then``."""
        before = self.bot_messages.count()
        self.type_message(text)
        return self.wait_for_new_bot(before, then)

    def click_reply(self, title: str, then: Expected) -> Locator:
        """Click the quick reply titled ``title``, then wait for a reply matching ``then``."""
        before = self.bot_messages.count()
        button = self.quick_replies.filter(has_text=re.compile(rf"^{re.escape(title)}$"))
        expect(button).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
        button.click()
        expect(self.user_messages.last).to_have_text(re.compile(rf"{re.escape(title)}$"))
        return self.wait_for_new_bot(before, then)

    def wait_for_new_bot(self, before: int, expected: Expected) -> Locator:
        """Wait for a bot message after the first ``before`` ones that matches ``expected``."""
        pattern = expected if isinstance(expected, re.Pattern) else re.compile(re.escape(expected))
        flags = "i" if pattern.flags & re.IGNORECASE else ""
        self.page.wait_for_function(
            """([before, source, flags]) => {
                const regex = new RegExp(source, flags);
                return Array.from(document.querySelectorAll(".bpc-message.bpc-bot"))
                    .slice(before)
                    .some((node) => regex.test(node.textContent));
            }""",
            arg=[before, pattern.pattern, flags],
            timeout=REPLY_TIMEOUT_MS,
        )
        return self.bot_messages.filter(has_text=expected).last

    def bot_texts(self) -> List[str]:
        """Return the text of every bot message shown."""
        return self.bot_messages.all_inner_texts()

    def screenshot(self, name: str) -> Path:
        """Save a screenshot of the whole viewport as ``artifacts/web/<name>.png``."""
        path = self.artifacts / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def session_id(self) -> str:
        """Return the session id the widget keeps in localStorage."""
        value = self.page.evaluate("() => JSON.parse(localStorage.getItem('backpain-chat:session_id'))")
        assert isinstance(value, str) and value
        return value
