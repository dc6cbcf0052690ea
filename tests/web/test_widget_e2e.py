"""The chat widget in headless Chromium against the real assistant over socket.io."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import List

import pytest
import requests
from playwright.sync_api import expect

from rasa_project.channels.conversation_ids import WEBCHAT
from tests.live_servers import tracker
from tests.web.chat_page import REPLY_TIMEOUT_MS, ChatPage
from tests.web.conftest import BrowserPage, WebAssistant

pytestmark = pytest.mark.e2e

HOW_LONG = re.compile(r"How long have you had", re.I)
HOW_BAD = re.compile(r"0 \(no pain\) to 10", re.I)
SAFETY_SCREEN = re.compile(r"safety questions", re.I)
EMERGENCY = re.compile(r"emergency", re.I)
HOSTILE_INPUTS = [
    "<script>alert('typed script')</script>",
    "<img src=x onerror=\"alert('typed img')\">",
    "[click me](javascript:alert('typed link'))",
]


def chat(opened: BrowserPage, artifacts: Path) -> ChatPage:
    return ChatPage(opened.page, artifacts)


def test_full_assessment_by_typing_and_buttons(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.page.goto(web_assistant.page_url)
    page.screenshot("01-landing")
    # The page's main button starts the check: the first question, not a greeting.
    page.start_check(web_assistant.page_url, first_question=HOW_LONG)
    expect(page.user_messages.locator(".bpc-bubble")).to_have_text(["Start the check"])
    expect(page.quick_replies.filter(has_text="Less than 6 weeks")).to_be_visible()
    assert user_texts(web_assistant, page.session_id()) == ["/start_assessment"]
    page.screenshot("02-first-question")

    page.say("about four months", then=HOW_BAD)
    page.say("a 6 I guess", then=SAFETY_SCREEN)
    # The red-flag screen is a "- " list: it must render as a real list.
    expect(page.bot_messages.filter(has_text=SAFETY_SCREEN).last.locator("li")).not_to_have_count(0)
    page.screenshot("03-red-flag-screen")
    page.click_reply("None of these", then=re.compile(r"most of your day", re.I))
    page.click_reply("Standing", then=re.compile(r"arches", re.I))
    page.click_reply("Flat or low", then=re.compile(r"wear down first", re.I))
    page.click_reply("Inside edge", then=re.compile(r"longer than the other", re.I))
    page.say("no", then=re.compile(r"diagnosed a problem", re.I))
    page.click_reply("No", then=re.compile(r"tried insoles", re.I))
    page.click_reply("Never tried them", then=re.compile(r"summary", re.I))

    results = "\n".join(page.bot_texts())
    assert re.search(r"custom orthotic", results, re.I), results
    assert re.search(r"flat", results, re.I), results
    # The result opens with its headline and is read from there, not scrolled past to
    # the offer after it; the explanation that follows keeps its paragraphs.
    result = page.first_reply_to_last_message()
    assert page.is_read_from_its_top(result)
    assert not page.is_scrolled_to_the_end()
    expect(result.locator(".bpc-bubble.bpc-headline.bpc-level-routine")).to_have_count(1)
    explanation = result.locator("xpath=following-sibling::div[contains(concat(' ', @class, ' '), ' bpc-bot ')][1]")
    expect(explanation.locator(".bpc-bubble p")).not_to_have_count(1)
    page.screenshot("04-recommendation")

    page.click_reply("Yes, please", then=re.compile(r"summary", re.I))
    download_button = page.page.get_by_role("button", name="Download summary (.txt)")
    expect(download_button.last).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    with page.page.expect_download() as download_info:
        download_button.last.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".txt")
    summary_text = Path(download.path()).read_text(encoding="utf-8")
    assert re.search(r"orthotic", summary_text, re.I), summary_text

    page.page.get_by_role("button", name="Copy summary").last.click()
    expect(page.page.get_by_text("Copied.")).to_be_visible()
    copied = page.page.evaluate("() => navigator.clipboard.readText()")
    assert copied == summary_text
    page.screenshot("05-summary")
    assert desktop.dialogs == []


def test_emergency_mid_assessment_shows_a_lasting_banner_with_call_links(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.start_check(web_assistant.page_url, first_question=HOW_LONG)
    expect(page.emergency_banner).to_be_hidden()

    page.say("I wet myself without noticing", then=EMERGENCY)

    banner = page.page.get_by_role("alert")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("emergency")
    call_links = banner.locator('a[href^="tel:"]')
    expect(call_links).not_to_have_count(0)
    hrefs = [call_links.nth(index).get_attribute("href") for index in range(call_links.count())]
    assert all(re.fullmatch(r"tel:\+?\d{3,15}", href or "") for href in hrefs), hrefs
    # The default emergency text names 911, 999 and 112.
    assert {"tel:911", "tel:999", "tel:112"} <= set(hrefs), hrefs
    # The banner is the first thing in the chat, above the conversation.
    banner_box = banner.bounding_box()
    log_box = page.log.bounding_box()
    assert banner_box and log_box and banner_box["y"] < log_box["y"]
    color = banner.evaluate("node => getComputedStyle(node).backgroundColor")
    red, green, blue = (int(part) for part in re.findall(r"\d+", color)[:3])
    assert red > 150 and green < 60 and blue < 60, color
    page.screenshot("06-emergency-banner")

    # Later turns do not remove it, and neither does a reload.
    page.say("what are custom orthotics?", then=re.compile(r".+"))
    expect(banner).to_be_visible()
    page.page.reload()
    expect(page.panel).to_be_visible()
    expect(page.page.get_by_role("alert")).to_be_visible()
    expect(page.page.get_by_role("alert").locator('a[href="tel:999"]')).to_be_visible()
    page.screenshot("07-emergency-after-reload")


def test_urgent_symptom_shows_an_amber_notice_not_the_emergency_banner(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.open(web_assistant.page_url)
    page.wait_for_greeting()
    page.say("I've had a fever and night sweats with the back pain", then=re.compile(r"doctor", re.I))
    notice = page.page.locator(".bpc-urgent")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("see a doctor promptly")
    expect(page.emergency_banner).to_be_hidden()
    page.screenshot("16-urgent-notice")


def test_reload_keeps_history_and_the_server_side_conversation(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.start_check(web_assistant.page_url, first_question=HOW_LONG)
    session_before = page.session_id()
    texts_before = page.bot_texts()
    users_before = page.user_messages.all_inner_texts()

    page.page.reload()
    expect(page.panel).to_be_visible()
    expect(page.bot_messages).to_have_count(len(texts_before))
    assert page.bot_texts() == texts_before
    assert page.user_messages.all_inner_texts() == users_before
    assert page.session_id() == session_before
    page.screenshot("08-after-reload")

    # The restored buttons still work, and the server continues the same
    # conversation: it now asks the next question, not the greeting again.
    page.click_reply("More than 12 weeks", then=HOW_BAD)
    slots = tracker(web_assistant.url, session_part(session_before), channel=WEBCHAT)["slots"]
    assert slots["pain_duration"] == "chronic"


def test_start_the_check_starts_a_new_conversation_and_reopens_one_under_way(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.open(web_assistant.page_url)
    page.wait_for_greeting()
    page.page.get_by_role("button", name="Close chat").click()
    expect(page.panel).to_be_hidden()

    # Greeted but nothing said yet: the button starts the check.
    start = page.page.get_by_role("button", name="Start the check")
    start.click()
    expect(page.panel).to_be_visible()
    page.wait_for_bot(HOW_LONG)
    expect(page.user_messages.locator(".bpc-bubble")).to_have_text(["Start the check"])
    # The greeting's buttons went with the answer they belonged to.
    expect(page.quick_replies.filter(has_text="Check my back pain")).to_have_count(0)
    expect(page.input).to_be_focused()

    # A conversation under way is only reopened where it was left.
    page.page.get_by_role("button", name="Close chat").click()
    start.click()
    expect(page.panel).to_be_visible()
    expect(page.user_messages).to_have_count(1)
    expect(page.quick_replies.filter(has_text="Less than 6 weeks")).to_be_visible()
    assert user_texts(web_assistant, page.session_id()) == ["/greet", "/start_assessment"]


def test_start_the_check_survives_the_server_issuing_another_session(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.page.goto(web_assistant.page_url)
    # An id the server does not accept: it confirms the session under a new id.
    page.page.evaluate("() => localStorage.setItem('backpain-chat:session_id', JSON.stringify('not valid!'))")
    page.start_check(web_assistant.page_url, first_question=HOW_LONG)
    session_id = page.session_id()
    assert session_id != "not valid!"
    expect(page.user_messages.locator(".bpc-bubble")).to_have_text(["Start the check"])
    assert user_texts(web_assistant, session_id) == ["/start_assessment"]


HEADLINE_COLOURS = {
    # triage level: a test of the headline's edge colour, (red, green, blue)
    "emergency": lambda r, g, b: r > 150 and g < 60 and b < 60,
    "urgent": lambda r, g, b: r > 150 and 60 < g < 160 and b < 60,
    "routine": lambda r, g, b: b > 150 and r < 100 and g < 140,
    "self_care": lambda r, g, b: g > 100 and r < 100 and b < 100,
}
LONG_EXPLANATION = "\n\n".join(
    [
        "Why this result: you told me one leg is longer than the other. " * 4,
        "- a leg length difference\n- a diagnosed gait problem\n- long-lasting pain linked to misalignment",
        "A word on the evidence: it is mixed. " * 8,
        "See a doctor promptly if the pain becomes severe or unrelenting or wakes you at night. " * 3,
        "This is a self-help guide, not a diagnosis.",
    ]
)


def headline_payload(level: str) -> dict:
    return {"type": "assessment_headline", "triage_level": level, "recommendation": "custom_orthotics"}


def test_the_result_headline_is_marked_by_level_and_read_before_the_explanation(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.open(web_assistant.page_url)
    page.wait_for_greeting()
    # Enough conversation above for the view to scroll. A question asked before any
    # check leads into the check, and the question asked again follows the next answer:
    # wait for each reply's last message, so that no reply of the server's lands
    # between the delivered headline and its payload.
    page.say("what are custom orthotics?", then=re.compile(r"How long have you had", re.I))
    page.say("do insoles help back pain?", then=re.compile(r"How long have you had", re.I))

    # As the REST channel and Rasa's own socket.io channel send it: text, then its payload.
    headline_text = (
        "Because you told me one leg is longer, custom orthotics from a podiatrist may be worth considering."
    )
    page.deliver({"text": headline_text})
    page.deliver({"custom": headline_payload("routine")})
    page.deliver({"text": LONG_EXPLANATION})
    page.deliver({"text": "Would you like a summary?", "buttons": [{"title": "Yes, please", "payload": "/affirm"}]})

    headline = page.bot_messages.filter(has_text=headline_text)
    expect(headline.locator(".bpc-bubble")).to_have_class(re.compile(r"\bbpc-headline\b.*\bbpc-level-routine\b"))
    expect(headline.locator(".bpc-headline-label")).to_have_text("Your result")
    explanation = page.bot_messages.filter(has_text="Why this result:")
    assert headline.evaluate(
        "(node, other) => Boolean(node.compareDocumentPosition(other) & 4)", explanation.element_handle()
    )
    # What to do is the first thing read: the view shows the headline from its top
    # instead of scrolling on to the end of the long explanation.
    assert page.is_read_from_its_top(headline)
    assert not page.is_scrolled_to_the_end()
    # The long explanation keeps its paragraphs and its list.
    expect(explanation.locator(".bpc-bubble")).to_have_class(re.compile(r"\bbpc-long\b"))
    expect(explanation.locator(".bpc-bubble > p")).to_have_count(4)
    expect(explanation.locator("li")).to_have_count(3)
    page.screenshot("17-result-headline")

    # As the web chat channel sends it: one event with text and payload; each level its colour.
    for level in HEADLINE_COLOURS:
        page.deliver({"text": f"Headline for {level}.", "custom": headline_payload(level)})
    page.deliver({"text": "Headline with a level nobody knows.", "custom": headline_payload("<b>odd</b>")})
    expect(page.headlines).to_have_count(6)
    for level, is_its_colour in HEADLINE_COLOURS.items():
        bubble = page.bot_messages.filter(has_text=f"Headline for {level}.").locator(".bpc-bubble")
        expect(bubble).to_have_class(re.compile(rf"\bbpc-level-{level}\b"))
        colour = bubble.evaluate("(node) => getComputedStyle(node).borderLeftColor")
        assert is_its_colour(*(int(part) for part in re.findall(r"\d+", colour)[:3])), (level, colour)
    odd = page.bot_messages.filter(has_text="Headline with a level nobody knows.").locator(".bpc-bubble")
    expect(odd).to_have_class(re.compile(r"\bbpc-level-unknown\b"))
    assert page.is_read_from_its_top(page.bot_messages.last)
    page.screenshot("18-headline-levels")

    # The emergency level also raises the lasting banner, and a reload keeps every mark.
    expect(page.emergency_banner).to_be_visible()
    page.page.reload()
    expect(page.panel).to_be_visible()
    expect(page.headlines).to_have_count(6)
    expect(page.bot_messages.filter(has_text=headline_text).locator(".bpc-bubble")).to_have_class(
        re.compile(r"\bbpc-level-routine\b")
    )
    assert desktop.dialogs == []


def test_hostile_text_is_rendered_inert(web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path) -> None:
    page = chat(desktop, artifacts_dir)
    page.open(web_assistant.page_url)
    page.wait_for_greeting()
    for text in HOSTILE_INPUTS:
        before = page.bot_messages.count()
        page.type_message(text)
        expect(page.user_messages.last.locator(".bpc-bubble")).to_have_text(text)
        expect(page.bot_messages).not_to_have_count(before, timeout=REPLY_TIMEOUT_MS)

    # Bot messages and payloads pass through the same rendering as the server's.
    page.page.evaluate(
        """() => {
            window.BackPainChat.onBotMessage({
                text: "<img src=x onerror=alert('bot img')>\\n\\n- [tap](javascript:alert('bot link'))"
                      + "\\n- <script>alert('bot script')</script> [ok](https://example.org/a)",
                buttons: [{title: "<img src=x onerror=alert('button')>", payload: "/greet"}],
            });
            window.BackPainChat.onBotMessage({custom: {
                triage_level: "emergency",
                red_flags: ["<b>x</b>"],
                emergency_number: "<img src=x onerror=alert('number')> 999 javascript:alert(1)",
            }});
        }"""
    )
    assert_inert(page)
    page.screenshot("09-hostile-text")
    # The stored transcript renders just as inertly after a reload.
    page.page.reload()
    expect(page.panel).to_be_visible()
    expect(page.bot_messages.filter(has_text="<img src=x onerror=alert('bot img')>")).to_have_count(1)
    assert_inert(page)
    assert desktop.dialogs == []


def assert_inert(page: ChatPage) -> None:
    root = page.page.locator(".bpc-root")
    expect(root.locator("img")).to_have_count(0)
    expect(root.locator("script")).to_have_count(0)
    expect(root.locator("b")).to_have_count(0)
    expect(root.locator('a[href^="javascript" i]')).to_have_count(0)
    hrefs = root.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert all(re.match(r"^(https?://|tel:)", href) for href in hrefs), hrefs
    for text in HOSTILE_INPUTS:
        expect(page.user_messages.filter(has_text=text)).to_have_count(1)
    link_text = page.page.locator(".bpc-bubble", has_text="[tap](javascript:alert('bot link'))")
    expect(link_text).to_have_count(1)
    expect(page.page.get_by_role("link", name="ok")).to_have_attribute("href", "https://example.org/a")
    expect(page.emergency_banner.locator('a[href="tel:999"]')).to_have_count(1)


def test_phone_viewport(web_assistant: WebAssistant, phone: BrowserPage, artifacts_dir: Path) -> None:
    page = chat(phone, artifacts_dir)
    page.page.goto(web_assistant.page_url)
    page.screenshot("10-phone-landing")
    page.page.get_by_role("button", name="Chat with our back pain assistant").tap()
    page.wait_for_greeting()
    box = page.panel.bounding_box()
    assert box is not None
    assert box["x"] == 0 and box["width"] == 375 and box["height"] == 667, box
    assert page.page.evaluate("() => document.documentElement.scrollWidth") <= 375
    for button in page.quick_replies.all():
        button_box = button.bounding_box()
        assert button_box and button_box["x"] + button_box["width"] <= 375, button_box
    page.quick_replies.filter(has_text="Check my back pain").tap()
    page.wait_for_bot(HOW_LONG)
    expect(page.input).to_be_in_viewport()
    page.screenshot("11-phone-chat")
    assert phone.dialogs == []


def test_keyboard_only(web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path) -> None:
    page = chat(desktop, artifacts_dir)
    keyboard = page.page.keyboard
    page.page.goto(web_assistant.page_url)
    launcher = page.page.locator(".bpc-launcher")
    expect(launcher).to_be_visible()
    for _ in range(30):
        keyboard.press("Tab")
        if launcher.evaluate("node => node === document.activeElement"):
            break
    else:
        pytest.fail("The chat launcher cannot be reached with Tab")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    keyboard.press("Enter")
    expect(page.panel).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.input).to_be_focused()

    # Accessible structure: a polite live log, a labelled box, named buttons.
    expect(page.log).to_have_attribute("aria-live", "polite")
    expect(page.page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.page.get_by_role("button", name="Close chat")).to_be_visible()
    page.wait_for_greeting()

    # Shift+Tab from the message box reaches the suggested answers.
    keyboard.press("Shift+Tab")
    focused = page.page.evaluate("() => document.activeElement.textContent")
    assert focused in page.quick_replies.all_inner_texts(), focused
    page.input.focus()
    before = page.bot_messages.count()
    keyboard.type("what are custom orthotics?")
    keyboard.press("Enter")
    expect(page.user_messages.last).to_contain_text("what are custom orthotics?")
    page.wait_for_new_bot(before, re.compile(r"orthotic", re.I))
    expect(page.input).to_have_value("")
    expect(page.input).to_be_focused()
    page.screenshot("12-keyboard")

    keyboard.press("Escape")
    expect(page.panel).to_be_hidden()
    expect(launcher).to_be_focused()


def test_typing_indicator_shows_while_the_bot_answers(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.open(web_assistant.page_url)
    page.wait_for_greeting()
    typing = page.page.locator(".bpc-typing")
    expect(typing).to_be_hidden()
    # Hold the bot's answer back in the browser so the indicator can be seen for sure.
    page.page.evaluate(
        """() => {
            const socket = window.BackPainChat.socket;
            window.heldMessages = [];
            window.originalHandlers = socket.listeners("bot_uttered");
            socket.off("bot_uttered");
            socket.on("bot_uttered", (message) => window.heldMessages.push(message));
        }"""
    )
    page.type_message("do insoles help back pain?")
    expect(typing).to_be_visible()
    page.page.wait_for_function("() => window.heldMessages.length > 0", timeout=REPLY_TIMEOUT_MS)
    page.screenshot("13-typing-indicator")
    page.page.evaluate(
        """() => {
            const socket = window.BackPainChat.socket;
            socket.off("bot_uttered");
            window.originalHandlers.forEach((handler) => socket.on("bot_uttered", handler));
            window.heldMessages.forEach((message) => window.BackPainChat.onBotMessage(message));
        }"""
    )
    expect(typing).to_be_hidden()


def test_messages_typed_offline_are_sent_once_in_order_after_a_restart(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    page.open(web_assistant.page_url)
    page.wait_for_greeting()
    session_id = page.session_id()
    greeting_count = page.bot_messages.count()

    web_assistant.stop()
    try:
        expect(page.connection_status).to_contain_text("Reconnecting", timeout=REPLY_TIMEOUT_MS)
        page.screenshot("14-reconnecting")
        page.type_message("do insoles help back pain?")
        page.type_message("what are custom orthotics?")
        expect(page.page.locator(".bpc-queued")).to_have_count(2)
    finally:
        web_assistant.start()

    expect(page.connection_status).to_be_hidden(timeout=REPLY_TIMEOUT_MS)
    expect(page.page.locator(".bpc-queued")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
    # Both questions are answered, the second one last.
    page.wait_for_new_bot(greeting_count + 1, re.compile(r"orthotic", re.I))
    expect(page.page.locator(".bpc-typing")).to_be_hidden(timeout=REPLY_TIMEOUT_MS)
    page.screenshot("15-back-online")

    queued = ["do insoles help back pain?", "what are custom orthotics?"]
    # The tracker is saved just after the last reply goes out: poll briefly for it.
    deadline = time.monotonic() + 30
    while True:
        sent = [text for text in user_texts(web_assistant, session_id) if text in queued]
        if sent == queued or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert sent == queued, user_texts(web_assistant, session_id)


def test_a_message_typed_before_the_first_connection_is_sent_in_the_issued_session(
    web_assistant: WebAssistant, desktop: BrowserPage, artifacts_dir: Path
) -> None:
    page = chat(desktop, artifacts_dir)
    web_assistant.stop()
    try:
        page.open(web_assistant.page_url)
        page.type_message("do insoles help back pain?")
        expect(page.page.locator(".bpc-queued")).to_have_count(1)
        made_by_the_widget = page.session_id()
    finally:
        web_assistant.start()
    expect(page.page.locator(".bpc-queued")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
    page.wait_for_bot(re.compile(r"insole", re.I))
    # The server replaced the widget's own id with one it signed, and the message went there.
    issued = page.session_id()
    assert issued != made_by_the_widget and "." in issued
    shown = page.user_messages.all_inner_texts()
    assert len(shown) == 1 and "do insoles help back pain?" in shown[0]
    deadline = time.monotonic() + 30
    while "do insoles help back pain?" not in user_texts(web_assistant, issued) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert "do insoles help back pain?" in user_texts(web_assistant, issued)


def session_part(session_token: str) -> str:
    """The session id in the signed token the server issued (``<id>.<signature>``)."""
    return session_token.partition(".")[0]


def user_texts(web_assistant: WebAssistant, session_id: str) -> List[str]:
    """Return the texts of the person's messages in the server's tracker, in order."""
    events = tracker(web_assistant.url, session_part(session_id), channel=WEBCHAT)["events"]
    return [str(event.get("text")) for event in events if event["event"] == "user"]


def test_only_configured_origins_may_connect(web_assistant: WebAssistant) -> None:
    handshake = f"{web_assistant.url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(handshake, headers={"Origin": web_assistant.page_origin}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers.get("Access-Control-Allow-Origin") == web_assistant.page_origin
    refused = requests.get(handshake, headers={"Origin": "https://attacker.example"}, timeout=10)
    assert refused.status_code == 400
    assert "attacker" not in refused.headers.get("Access-Control-Allow-Origin", "")
