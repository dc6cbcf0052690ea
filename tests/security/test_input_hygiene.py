"""Text hygiene: what every channel does to a message's text before anything reads it."""

from __future__ import annotations

import pytest

from rasa_project.channels.message_limits import (
    HARD_CAP_CHARS_ENV,
    MAX_MESSAGE_CHARS_ENV,
    MAX_REQUEST_BYTES_ENV,
    METADATA_KEY,
    MessageLimits,
    prepare_text,
)
from rasa_project.understanding.hygiene import normalise_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("I wet myself \ud800 help", "I wet myself  help"),
        ("lone low \udc00 surrogate", "lone low  surrogate"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 escape\x1b[31m red", "bell escape red"),
        ("I wet\x1b[2J myself", "I wet myself"),
        ("title \x1b]0;owned\x07 set", "title  set"),
        ("delete\x7f and c1\x85 next", "delete and c1\n next"),
        ("windows\r\nline\rbreaks", "windows\nline\nbreaks"),
        ("line\u2028separator\u2029paragraph", "line\nseparator\nparagraph"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("blad\u200bder", "bladder"),
        ("blad\u00adder", "bladder"),
        ("\ufeffbom at the start", "bom at the start"),
        ("right\u202eto\u202cleft override", "righttoleft override"),
        ("blad\u200dder", "bladder"),
        ("family 👨\u200d👩\u200d👧 emoji", "family 👨\u200d👩\u200d👧 emoji"),
        ("nonchar \ufffe\uffff\U0001ffff\ufdd0 gone", "nonchar  gone"),
        ("e\u0301 composed", "é composed"),
        ("Rückenschmerzen, 背中が痛い, ألم الظهر 😣", "Rückenschmerzen, 背中が痛い, ألم الظهر 😣"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("  outer spaces kept  ", "  outer spaces kept  "),
        ("\x00\x01\u200b\ud800", ""),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_normalised_text_always_encodes_as_utf8() -> None:
    every_code_point = "".join(chr(code) for code in range(0, 0x110000, 7))
    normalise_text(every_code_point).encode("utf-8")


def test_normalising_twice_changes_nothing() -> None:
    text = "a\ud800b\r\nc\u200bd e\u0301 👨\u200d👩 \x00"
    assert normalise_text(normalise_text(text)) == normalise_text(text)


LIMITS = MessageLimits(max_message_chars=10, hard_cap_chars=20, max_request_bytes=1000)


@pytest.mark.parametrize(
    "raw, text, received, over_long",
    [
        ("short", "short", 5, False),
        ("exactly 10", "exactly 10", 10, False),
        ("eleven char", "eleven char", 11, True),
        ("x" * 25, "x" * 20, 25, True),
        # Removed characters do not count towards the limits.
        ("\x00" * 50 + "help", "help", 4, False),
        ("a\u200b" * 15, "a" * 15, 15, True),
    ],
)
def test_prepare_text_cuts_at_the_hard_cap_and_marks_over_long(
    raw: str, text: str, received: int, over_long: bool
) -> None:
    prepared = prepare_text(raw, LIMITS)
    assert (prepared.text, prepared.received_chars, prepared.over_long) == (text, received, over_long)


def test_over_long_mark_replaces_a_client_value_and_keeps_other_metadata() -> None:
    client = {"page": "/clinic", METADATA_KEY: {"over_long": False, "received_chars": 1}}
    assert prepare_text("x" * 30, LIMITS).metadata(client) == {
        "page": "/clinic",
        METADATA_KEY: {"over_long": True, "received_chars": 30},
    }
    assert prepare_text("fine", LIMITS).metadata(client) == {"page": "/clinic"}


def test_limits_default_and_from_environment() -> None:
    assert MessageLimits.from_environment({}) == MessageLimits(5_000, 20_000, 100 * 1024)
    configured = {MAX_MESSAGE_CHARS_ENV: "2000", HARD_CAP_CHARS_ENV: "8000", MAX_REQUEST_BYTES_ENV: "50000"}
    assert MessageLimits.from_environment(configured) == MessageLimits(2000, 8000, 50000)


@pytest.mark.parametrize(
    "environ",
    [
        {MAX_MESSAGE_CHARS_ENV: "0"},
        {MAX_MESSAGE_CHARS_ENV: "-5"},
        {MAX_REQUEST_BYTES_ENV: "lots"},
        {MAX_MESSAGE_CHARS_ENV: "30000"},
    ],
    ids=["zero", "negative", "not-a-number", "cap-below-limit"],
)
def test_unusable_limits_fail_loudly(environ: dict) -> None:
    with pytest.raises(ValueError):
        MessageLimits.from_environment(environ)
