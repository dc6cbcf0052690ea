"""The terminal client's pure parts: replies in, lines out; typed text in, message out."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest

from rasa_project.channels.terminal import (
    Choice,
    Line,
    Outgoing,
    Style,
    format_replies,
    is_stop,
    outgoing,
    paint,
)

WIDTH = 100
DURATION_BUTTONS = [
    {"title": "Less than 6 weeks", "payload": '/inform{"pain_duration": "acute"}'},
    {"title": "6 to 12 weeks", "payload": '/inform{"pain_duration": "subacute"}'},
    {"title": "More than 12 weeks", "payload": '/inform{"pain_duration": "chronic"}'},
]
DURATION_CHOICES = tuple(Choice(b["title"], b["payload"]) for b in DURATION_BUTTONS)
EMERGENCY_PAYLOAD = {
    "triage_level": "emergency",
    "recommendation": "emergency_care",
    "red_flags": ["bladder_bowel_dysfunction"],
    "emergency_number": "999",
}
HEADLINE = "Because your feet are flat, an arch-support insert may be worth trying."


def texts(replies: Sequence[Dict[str, Any]], width: int = WIDTH) -> List[str]:
    return [line.text for line in format_replies(replies, width).lines]


def styled(replies: Sequence[Dict[str, Any]]) -> List[Tuple[str, Style, Optional[str]]]:
    return [(line.text, line.style, line.level) for line in format_replies(replies, WIDTH).lines if line.text]


# --- buttons


def test_buttons_are_numbered_choices_without_payloads() -> None:
    turn = format_replies([{"text": "How long have you had this back pain?", "buttons": DURATION_BUTTONS}], WIDTH)
    assert [line.text for line in turn.lines] == [
        "How long have you had this back pain?",
        "",
        "  1. Less than 6 weeks",
        "  2. 6 to 12 weeks",
        "  3. More than 12 weeks",
    ]
    assert turn.choices == DURATION_CHOICES
    assert not any("/inform" in line.text or "{" in line.text for line in turn.lines)


@pytest.mark.parametrize(
    ("buttons", "expected"),
    [
        ([], ()),
        ("not a list", ()),
        ([None, 3, "x"], ()),
        ([{"title": "Yes"}], (Choice("Yes", "Yes"),)),  # a payload-less button sends its title
        ([{"payload": "/affirm"}], (Choice("/affirm", "/affirm"),)),
        ([{"title": " ", "payload": ""}], ()),
    ],
)
def test_odd_buttons_are_skipped_or_completed(buttons: Any, expected: Tuple[Choice, ...]) -> None:
    assert format_replies([{"text": "Question?", "buttons": buttons}], WIDTH).choices == expected


def test_quick_replies_are_choices_too() -> None:
    replies = [{"text": "Shall we start?", "quick_replies": [{"title": "Yes", "payload": "/affirm"}]}]
    assert format_replies(replies, WIDTH).choices == (Choice("Yes", "/affirm"),)


def test_the_choices_are_those_of_the_last_reply_that_has_buttons() -> None:
    replies = [
        {"text": "Hi!", "buttons": [{"title": "Check my back pain", "payload": "/start_assessment"}]},
        {"text": "How long have you had this back pain?", "buttons": DURATION_BUTTONS},
        {"text": "You can also type your answer."},
    ]
    assert format_replies(replies, WIDTH).choices == DURATION_CHOICES


# --- typed input


@pytest.mark.parametrize(
    ("typed", "choices", "expected"),
    [
        ("1", DURATION_CHOICES, Outgoing('/inform{"pain_duration": "acute"}', picked="Less than 6 weeks")),
        (" 3 ", DURATION_CHOICES, Outgoing('/inform{"pain_duration": "chronic"}', picked="More than 12 weeks")),
        ("about four months", DURATION_CHOICES, Outgoing("about four months")),
        # Numbers that are no choice are answers in their own right (a pain score, say).
        ("4", DURATION_CHOICES, Outgoing("4")),
        ("0", DURATION_CHOICES, Outgoing("0")),
        ("6", (), Outgoing("6")),
        ("1.5", DURATION_CHOICES, Outgoing("1.5")),
        ("-1", DURATION_CHOICES, Outgoing("-1")),
        ("١", DURATION_CHOICES, Outgoing("١")),  # an Arabic-Indic digit is text, not a pick
        ("2 weeks", DURATION_CHOICES, Outgoing("2 weeks")),
        ("😀😀", DURATION_CHOICES, Outgoing("😀😀")),
        ("<b>hi</b>", (), Outgoing("<b>hi</b>")),
        ("/restart", (), Outgoing("/restart")),
        ("line one\nline two", (), Outgoing("line one\nline two")),
        ("broken \udcff byte", (), Outgoing("broken ? byte")),
        ("", DURATION_CHOICES, None),
        ("   \t ", DURATION_CHOICES, None),
    ],
)
def test_typed_text_is_a_pick_only_when_it_is_a_choice_number(
    typed: str, choices: Tuple[Choice, ...], expected: Optional[Outgoing]
) -> None:
    assert outgoing(typed, choices) == expected


def test_a_huge_paste_is_sent_whole() -> None:
    pasted = "my back hurts " * 5000
    sent = outgoing(pasted, DURATION_CHOICES)
    assert sent is not None and sent.message == pasted.strip()


@pytest.mark.parametrize(
    ("typed", "stops"),
    [("/stop", True), (" /STOP ", True), ("/quit", True), ("/exit", True), ("stop", False), ("/stopped", False)],
)
def test_stop_commands(typed: str, stops: bool) -> None:
    assert is_stop(typed) is stops


# --- emergency and urgent payloads


def test_an_emergency_is_one_prominent_line_first_with_the_number_and_no_json() -> None:
    # As the REST channel sends it: the text cut at blank lines, then the payload.
    replies = [
        {"text": "🚨 This could be a medical emergency. Please call 999 now."},
        {"text": "Insoles cannot help with this."},
        {"custom": EMERGENCY_PAYLOAD},
    ]
    lines = styled(replies)
    assert lines[0] == (
        "🚨 EMERGENCY: call 999 or go to the nearest emergency department now.",
        Style.EMERGENCY,
        None,
    )
    assert [text for text, style, _ in lines[1:]] == [
        "🚨 This could be a medical emergency. Please call 999 now.",
        "Insoles cannot help with this.",
    ]
    assert sum(style is Style.EMERGENCY for _, style, _ in lines) == 1
    assert not any("triage_level" in text or "{" in text for text, _, _ in lines)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("999", "call 999 or"),
        ("your local emergency number (911 in the US, 999 in the UK)", "call your local emergency number (911"),
        ("", "call your local emergency number or"),
        (None, "call your local emergency number or"),
    ],
)
def test_the_emergency_line_names_the_payloads_number(number: Optional[str], expected: str) -> None:
    payload = {**EMERGENCY_PAYLOAD, "emergency_number": number}
    first = " ".join(text for text, style, _ in styled([{"custom": payload}]) if style is Style.EMERGENCY)
    assert expected in first


def test_an_emergency_wins_over_an_urgent_notice_in_the_same_answer() -> None:
    replies = [
        {"text": "Please see a doctor."},
        {"custom": {"triage_level": "urgent"}},
        {"text": "Call 999 now."},
        {"custom": EMERGENCY_PAYLOAD},
    ]
    alerts = [style for _, style, _ in styled(replies) if style in (Style.EMERGENCY, Style.URGENT)]
    assert alerts == [Style.EMERGENCY]


def test_an_urgent_payload_is_a_prominent_line_first() -> None:
    replies = [{"text": "⚠️ Please see a doctor promptly."}, {"custom": {"triage_level": "urgent"}}]
    assert styled(replies)[0] == ("⚠️ URGENT: please see a doctor promptly, today or tomorrow.", Style.URGENT, None)


@pytest.mark.parametrize(
    "custom",
    [
        {"type": "assessment_summary", "text": "Summary..."},
        {"type": "assessment_result", "triage_level": "routine", "recommendation": "custom_orthotics"},
        {"triage_level": ["emergency"]},
        {},
    ],
)
def test_other_payloads_are_not_shown(custom: Dict[str, Any]) -> None:
    assert texts([{"text": "Some answer."}, {"custom": custom}]) == ["Some answer."]


# --- the result headline


@pytest.mark.parametrize(
    "replies",
    [
        # REST: the text, then its payload as the next item, then the explanation.
        [
            {"text": HEADLINE},
            {
                "custom": {
                    "type": "assessment_headline",
                    "triage_level": "self_care",
                    "recommendation": "otc_arch_support",
                }
            },
            {"text": "Flat feet tend to roll inwards."},
        ],
        # A channel that sends both in one message.
        [
            {
                "text": HEADLINE,
                "custom": {
                    "type": "assessment_headline",
                    "triage_level": "self_care",
                    "recommendation": "otc_arch_support",
                },
            },
            {"text": "Flat feet tend to roll inwards."},
        ],
    ],
)
def test_the_headline_is_emphasised_before_the_explanation(replies: List[Dict[str, Any]]) -> None:
    lines = styled(replies)
    assert lines[0] == ("Your result: " + HEADLINE, Style.HEADLINE, "self_care")
    assert lines[1] == ("Flat feet tend to roll inwards.", Style.TEXT, None)


def test_a_payload_after_another_text_does_not_make_the_earlier_text_a_headline() -> None:
    replies = [
        {"text": "Some earlier answer."},
        {"text": HEADLINE, "custom": {"type": "assessment_headline", "triage_level": "routine"}},
    ]
    assert styled(replies) == [
        ("Some earlier answer.", Style.TEXT, None),
        ("Your result: " + HEADLINE, Style.HEADLINE, "routine"),
    ]


def test_a_long_headline_wraps_under_itself() -> None:
    replies = [{"text": HEADLINE * 2}, {"custom": {"type": "assessment_headline", "triage_level": "routine"}}]
    lines = format_replies(replies, 60).lines
    assert len(lines) > 2
    assert all(line.style is Style.HEADLINE and line.level == "routine" for line in lines)
    assert all(line.text.startswith(" " * len("Your result: ")) for line in lines[1:])
    assert all(len(line.text) <= 60 for line in lines)


@pytest.mark.parametrize(
    ("level", "colour"),
    [("emergency", "\x1b[1;31m"), ("urgent", "\x1b[1;33m"), ("routine", "\x1b[1;34m"), ("self_care", "\x1b[1;32m")],
)
def test_a_headline_is_painted_in_its_levels_colour(level: str, colour: str) -> None:
    line = Line("Your result: see a podiatrist.", Style.HEADLINE, level)
    assert paint(line, colour=True) == f"{colour}Your result: see a podiatrist.\x1b[0m"
    assert paint(line, colour=False) == "Your result: see a podiatrist."


# --- text layout


def test_paragraphs_are_separated_and_lists_hang() -> None:
    text = (
        "Some important safety questions. Have you had any of these?\n"
        "- numbness between your legs, around your bottom or genitals, for example not feeling the toilet paper\n"
        "- pain at night\n\nOtherwise, tell me."
    )
    assert texts([{"text": text}], 55) == [
        "Some important safety questions. Have you had any of",
        "these?",
        "- numbness between your legs, around your bottom or",
        "  genitals, for example not feeling the toilet paper",
        "- pain at night",
        "",
        "Otherwise, tell me.",
    ]


def test_lines_never_exceed_the_width_even_for_one_long_word() -> None:
    lines = texts([{"text": "x" * 500}, {"text": "https://example.org/" + "a" * 200}], 50)
    assert lines and all(len(line) <= 50 for line in lines)


@pytest.mark.parametrize(
    "replies",
    [
        [],
        [None, 1, "text", []],
        [{"text": ""}, {"text": "   "}, {"text": None}, {"text": 5}],
        [{"custom": "not a dict"}],
    ],
)
def test_replies_without_anything_to_show_give_no_lines(replies: List[Any]) -> None:
    assert format_replies(replies, WIDTH).lines == ()


def test_images_and_attachments_are_named() -> None:
    assert texts([{"image": "https://example.org/foot.png"}]) == ["[image: https://example.org/foot.png]"]


def test_an_urgent_or_emergency_result_headline_also_raises_its_alert() -> None:
    replies = [
        {"text": "A doctor should see you soon."},
        {"custom": {"type": "assessment_headline", "triage_level": "urgent"}},
    ]
    assert [style for _, style, _ in styled(replies)] == [Style.URGENT, Style.HEADLINE]
