"""Field encryption with Fernet keys and key rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from rasa_project.storage.crypto import DecryptionError, FieldCipher, generate_key, is_token
from rasa_project.storage.settings import database_url, encryption_keys, retention_days

VALUES = ["", "flat feet", "x" * 10_000, "🦶🏽👣", "腰痛", "<script>alert('x')</script>", '{"json": true}']


@pytest.mark.parametrize("value", VALUES)
def test_round_trip(value: str) -> None:
    cipher = FieldCipher([generate_key()])
    stored = cipher.encrypt(value)

    assert is_token(stored)
    assert value == "" or value not in stored
    assert cipher.decrypt(stored) == value


def test_without_keys_values_pass_through() -> None:
    cipher = FieldCipher([])
    assert not cipher.enabled
    assert cipher.encrypt("flat feet") == "flat feet"
    assert cipher.decrypt("flat feet") == "flat feet"


def test_token_without_keys_is_an_error() -> None:
    token = FieldCipher([generate_key()]).encrypt("flat")
    with pytest.raises(DecryptionError):
        FieldCipher([]).decrypt(token)


def test_wrong_key_is_an_error() -> None:
    token = FieldCipher([generate_key()]).encrypt("flat")
    with pytest.raises(DecryptionError):
        FieldCipher([generate_key()]).decrypt(token)


def test_invalid_key_is_rejected() -> None:
    with pytest.raises(ValueError):
        FieldCipher(["not-a-key"])


def test_rotation_moves_values_to_the_first_key() -> None:
    old, new = generate_key(), generate_key()
    token = FieldCipher([old]).encrypt("high arch")
    both = FieldCipher([new, old])

    rotated = both.rotate(token)

    assert FieldCipher([new]).decrypt(rotated) == "high arch"
    assert FieldCipher([new]).decrypt(both.rotate("plain legacy")) == "plain legacy"
    with pytest.raises(DecryptionError):
        FieldCipher([old]).decrypt(rotated)


def test_json_never_looks_like_a_token() -> None:
    for text in ['"gAAAAA"', "[1]", "{}", "null", "-1", "true"]:
        assert not is_token(text)
    assert is_token(Fernet(Fernet.generate_key()).encrypt(b"").decode())


def test_settings_from_the_environment() -> None:
    assert encryption_keys({"ASSISTANT_ENCRYPTION_KEYS": " a , ,b,"}) == ("a", "b")
    assert encryption_keys({}) == ()
    assert database_url({"ASSISTANT_DATABASE_URL": "postgres://u:p@h/db"}) == "postgresql://u:p@h/db"
    assert database_url({}).startswith("sqlite:///") and database_url({}).endswith("var/assistant.db")
    assert retention_days({"ASSISTANT_RETENTION_DAYS": "30"}) == 30
    assert retention_days({"ASSISTANT_RETENTION_DAYS": "-3"}) == 90
    assert retention_days({"ASSISTANT_RETENTION_DAYS": "ninety"}) == 90
