"""The operator command line, run as operators run it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_project.escalations.recording import EscalationRecord, record_escalation
from rasa_project.storage import records
from rasa_project.storage.report import build_report, render_html, render_text
from rasa_project.storage.tracker_store import EncryptedSQLTrackerStore
from tests.storage import sample_conversation as sample

REPO_ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rasa_project", *args],
        cwd=REPO_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=180,
    )


def _calm_conversation(conversation_id: str) -> DialogueStateTracker:
    """The sample conversation without its triage level: the store records no escalation for it."""
    events = [
        event
        for event in sample.conversation(conversation_id).events
        if not (isinstance(event, SlotSet) and event.key == "triage_level")
    ]
    return DialogueStateTracker.from_events(conversation_id, events, sample.domain().slots)


def _seed(url: str) -> None:
    store = EncryptedSQLTrackerStore(domain=sample.domain(), database_url=url)
    for conversation_id in ("a", "b", "c"):
        asyncio.run(store.save(_calm_conversation(conversation_id)))
    records.save_assessment("a", "rest", {"foot_arch": "flat"}, "self_care", "otc_arch_support", [])
    records.save_assessment("b", "rest", {"foot_arch": "flat"}, "self_care", "otc_arch_support", [])
    records.save_assessment("c", "socketio", {}, "routine", "custom_orthotics", [])
    day = datetime(2026, 11, 20, 10, tzinfo=timezone.utc)
    for conversation_id, when, level in (
        ("a", day, "emergency"),
        ("b", day, "urgent"),
        ("c", day + timedelta(days=1), "emergency"),
    ):
        record_escalation(EscalationRecord(conversation_id, when, "rest", level, ("saddle_anaesthesia",)), url)


def test_report_figures(database_url: str, encryption_key: str) -> None:
    _seed(database_url)

    report = build_report()

    assert (report.conversations, report.completed_assessments, report.escalations) == (3, 3, 3)
    assert report.recommendations == {"otc_arch_support": 2, "custom_orthotics": 1}
    assert report.assessment_triage_levels == {"self_care": 2, "routine": 1}
    assert report.escalation_levels == {"emergency": 2, "urgent": 1}
    assert report.escalations_per_day == {date(2026, 11, 20): 2, date(2026, 11, 21): 1}
    assert report.escalations_not_notified == 3
    assert "otc_arch_support" in render_text(report)
    page = render_html(report)
    assert page.count("data:image/png;base64,") == 2 and "2026-11-21" in page


def test_report_of_an_empty_database(database_url: str) -> None:
    report = build_report()
    assert report.escalations == 0
    assert "data:image/png" not in render_html(report)
    assert "(none)" in render_text(report)


def test_cli_round_trip(database_url: str, encryption_key: str, tmp_path: Path) -> None:
    _seed(database_url)

    assert _cli("migrate").returncode == 0

    report = _cli("report", "--html", str(tmp_path / "report.html"))
    assert report.returncode == 0, report.stderr
    assert "Completed assessments:   3" in report.stdout
    assert "data:image/png;base64," in (tmp_path / "report.html").read_text()

    exported = _cli("export", "a", "--out", str(tmp_path / "a.json"))
    assert exported.returncode == 0, exported.stderr
    data = json.loads((tmp_path / "a.json").read_text())
    assert data["events"] and data["assessments"][0]["foot_arch"] == "flat"
    assert json.loads(_cli("export", "b").stdout)["conversation_id"] == "b"

    erased = _cli("erase", "a")
    assert erased.returncode == 0
    assert erased.stdout.strip() == "Deleted 11 rows; kept 1 escalation records de-identified."
    assert set(sample.rows_of(database_url, "a").values()) == {0}
    assert "1 of erased conversations" in _cli("report").stdout

    assert _cli("purge", "--days", "30").stdout.strip() == "Deleted 0 rows; kept 0 escalation records de-identified."
    assert _cli("rotate-keys").returncode == 0


def test_cli_rotate_keys_retires_the_old_key(database_url: str, encryption_key: str, monkeypatch) -> None:
    _seed(database_url)
    new_key = _cli("generate-key").stdout.strip()
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", f"{new_key},{encryption_key}")

    assert _cli("rotate-keys").returncode == 0

    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", new_key)
    assert build_report().recommendations == {"otc_arch_support": 2, "custom_orthotics": 1}
    assert len(json.loads(_cli("export", "c").stdout)["events"]) == 10


@pytest.mark.parametrize(
    "args",
    [[], ["purge", "--days", "-1"], ["purge", "--days", "soon"], ["erase"], ["unknown-command"]],
)
def test_cli_rejects_bad_arguments(args: List[str]) -> None:
    assert _cli(*args).returncode == 2


def test_cli_reports_errors_in_one_line(monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = _cli("report")
    assert result.returncode == 1
    assert result.stderr.startswith("error: OperationalError")
    assert "Traceback" not in result.stderr


def test_db_url_hides_the_password(monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql://clinic:hunter2@db.internal/assistant")
    result = _cli("db-url")
    assert "hunter2" not in result.stdout and "db.internal" in result.stdout


def test_check_of_a_healthy_database(database_url: str, encryption_key: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_HEALTH_DIR", str(tmp_path / "health"))
    _seed(database_url)

    result = _cli("check")

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0].split()[-1] for line in lines[:3]] == ["database", "schema", "keys"]
    assert all(line.startswith(("ok ", "warning ")) for line in lines), lines
    assert "escalations: 3 recorded but not sent" in result.stdout


def test_check_reports_every_problem(database_url: str, encryption_key: str, tmp_path: Path, monkeypatch) -> None:
    from rasa_project.storage.health import StorageHealth

    monkeypatch.setenv("ASSISTANT_HEALTH_DIR", str(tmp_path / "health"))
    _seed(database_url)
    # This test process plays a server whose storage is failing.
    StorageHealth(tmp_path / "health").failed("save", OSError("disk full"))
    monkeypatch.setenv("ASSISTANT_ENCRYPTION_KEYS", _cli("generate-key").stdout.strip())
    monkeypatch.setenv("ASSISTANT_ESCALATION_WEBHOOK_URL", "http://127.0.0.1:9/escalations")

    result = _cli("check")

    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 3, result.stdout
    assert "keys: ASSISTANT_ENCRYPTION_KEYS does not open the stored data" in problems[0]
    assert f"server process {os.getpid()}" in problems[1] and "last: save: OSError" in problems[1]
    assert "escalations: 3 waiting for delivery" in problems[2]


def test_check_of_an_unreachable_database(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_HEALTH_DIR", str(tmp_path / "health"))
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", "postgresql://nobody:hunter2@127.0.0.1:1/none")

    result = _cli("check")

    assert result.returncode == 1
    assert result.stdout.startswith("PROBLEM  database: postgresql://nobody:***@127.0.0.1:1/none does not answer")
    assert "hunter2" not in result.stdout + result.stderr
