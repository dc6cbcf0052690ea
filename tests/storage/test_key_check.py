"""The start-up proof that the configured keys open the stored data."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import List, Optional

import pytest
import sqlalchemy as sa
import yaml

from rasa_project.storage import database, key_check, records, startup
from rasa_project.storage.crypto import FieldCipher, generate_key
from rasa_project.storage.key_check import KeyCheckError
from rasa_project.storage.rotation import rotate_keys
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore, StorageRefusedError
from tests.storage import sample_conversation as sample

OLD, NEW = generate_key(), generate_key()


def _cipher(*keys: str) -> FieldCipher:
    return FieldCipher(list(keys))


def _verify(url: str, cipher: FieldCipher) -> key_check.KeyCheckReport:
    with database.engine_for(url).connect() as connection:
        return key_check.verify_keys(connection, cipher)


def _tokens(url: str) -> List[str]:
    with database.engine_for(url).connect() as connection:
        return key_check.key_check_tokens(connection)


def _serve(url: str, *keys: str) -> None:
    """Start as a server would, then store a conversation."""
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url, cipher=_cipher(*keys))
    asyncio.run(store.save(sample.conversation(f"c-{len(_tokens(url))}-{keys[0][:4] if keys else 'plain'}")))


def test_a_fresh_database_records_the_encrypting_key(database_url: str) -> None:
    startup.prepare_for_serving(database_url, _cipher(OLD))

    [token] = _tokens(database_url)
    assert _cipher(OLD).encrypted_with_first_key(token)
    assert _verify(database_url, _cipher(OLD)).key_checks == 1


def test_without_keys_and_without_encrypted_data_nothing_is_recorded(database_url: str) -> None:
    _serve(database_url)

    assert _tokens(database_url) == []
    assert not _verify(database_url, _cipher()).encrypted_data


@pytest.mark.parametrize(
    ("keys_now", "reason"),
    [
        ((NEW,), key_check.WRONG_KEY_REASON),
        ((), key_check.NO_KEY_REASON),
    ],
    ids=["wrong key", "key removed"],
)
def test_keys_that_do_not_open_the_data_are_refused(database_url: str, keys_now: tuple, reason: str) -> None:
    _serve(database_url, OLD)
    before = sample.rows_in_all_tables(database_url)

    with pytest.raises(startup.StorageRefused) as refused:
        startup.prepare_for_serving(database_url, _cipher(*keys_now))

    assert str(refused.value) == reason
    assert "\n" not in reason
    assert sample.rows_in_all_tables(database_url) == before


def test_data_encrypted_before_key_checks_existed_is_sampled(database_url: str) -> None:
    _serve(database_url, OLD)
    with database.engine_for(database_url).begin() as connection:
        connection.execute(sa.text("DELETE FROM assistant_key_checks"))

    with pytest.raises(KeyCheckError, match="a key that encrypted it is missing"):
        _verify(database_url, _cipher(NEW))
    with pytest.raises(KeyCheckError, match="not set"):
        _verify(database_url, _cipher())
    assert _verify(database_url, _cipher(OLD)).sampled_values == 2


def test_a_new_key_first_keeps_working_and_is_recorded_too(database_url: str) -> None:
    _serve(database_url, OLD)
    _serve(database_url, NEW, OLD)

    assert len(_tokens(database_url)) == 2
    # Data is now encrypted with both keys: neither alone opens it.
    for alone in (OLD, NEW):
        with pytest.raises(KeyCheckError):
            _verify(database_url, _cipher(alone))


def test_rotation_leaves_only_the_new_key(database_url: str) -> None:
    _serve(database_url, OLD)
    _serve(database_url, NEW, OLD)

    rotate_keys(database_url, _cipher(NEW, OLD))

    [token] = _tokens(database_url)
    assert _cipher(NEW).encrypted_with_first_key(token)
    _serve(database_url, NEW)
    with pytest.raises(StorageRefusedError, match="a key that encrypted it is missing"):
        _serve(database_url, OLD)


def test_rotation_with_keys_that_do_not_open_the_data_changes_nothing(database_url: str) -> None:
    _serve(database_url, OLD)
    before = sample.raw_database_text(database_url) if database_url.startswith("postgresql") else None
    tokens = _tokens(database_url)

    with pytest.raises(KeyCheckError):
        rotate_keys(database_url, _cipher(NEW))

    assert _tokens(database_url) == tokens
    if before is not None:
        assert sample.raw_database_text(database_url) == before


def test_an_altered_key_check_is_refused(database_url: str) -> None:
    _serve(database_url, OLD)
    with database.engine_for(database_url).begin() as connection:
        connection.execute(sa.text("UPDATE assistant_key_checks SET token = :t"), {"t": _cipher(OLD).encrypt("other")})

    with pytest.raises(KeyCheckError, match="altered"):
        _verify(database_url, _cipher(OLD))


def test_the_action_server_writes_no_assessment_with_a_wrong_key(
    database_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _serve(database_url, OLD)
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", NEW)

    with caplog.at_level(logging.ERROR):
        records.save_assessment("c", "rest", {"foot_arch": "flat"}, "self_care", "otc_arch_support", [])

    assert sample.rows_in_all_tables(database_url)["assessments"] == 0
    assert any("Did not record an assessment" in r.getMessage() for r in caplog.records)
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", OLD)
    records.save_assessment("c", "rest", {"foot_arch": "flat"}, "self_care", "otc_arch_support", [])
    assert sample.rows_in_all_tables(database_url)["assessments"] == 1


# Which Rasa commands are checked, and against which database.


def _endpoints(directory: Path, tracker_store: Optional[dict]) -> str:
    path = directory / "endpoints.yml"
    path.write_text(yaml.safe_dump({"tracker_store": tracker_store} if tracker_store else {"nlg": None}))
    return str(path)


OURS = {"type": "rasa_project.storage.tracker_store.EncryptedSQLTrackerStore"}


@pytest.mark.parametrize(
    ("argv", "checked"),
    [
        (["run"], True),
        (["shell"], True),
        (["run", "--enable-api"], True),
        (["run", "actions"], False),
        (["train"], False),
        (["test", "core"], False),
        ([], False),
    ],
)
def test_serving_commands_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list, checked: bool
) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    endpoints = _endpoints(tmp_path, OURS)
    args = [*argv, "--endpoints", endpoints] if argv else []

    assert (startup.tracker_store_database(args) is not None) == checked


def test_the_url_in_the_endpoints_file_wins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'from-endpoints.db'}"
    endpoints = _endpoints(tmp_path, {**OURS, "url": url})
    assert startup.tracker_store_database(["run", f"--endpoints={endpoints}"]) == url


@pytest.mark.parametrize(
    "tracker_store", [None, {"type": "sql"}, {"type": "no.such.Store"}], ids=["none", "rasa-sql", "missing"]
)
def test_other_tracker_stores_are_left_to_rasa(tmp_path: Path, tracker_store: Optional[dict]) -> None:
    endpoints = _endpoints(tmp_path, tracker_store)
    assert startup.tracker_store_database(["run", "--endpoints", endpoints]) is None


def test_a_malformed_key_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", "not-a-key")

    with pytest.raises(SystemExit) as exited:
        startup.check_storage_before_serving(["run", "--endpoints", _endpoints(tmp_path, OURS)])

    assert exited.value.code == startup.EXIT_STORAGE_REFUSED
    assert capsys.readouterr().err == f"Refusing to start: {startup.MALFORMED_KEY_REASON}.\n"
