"""Conversation tests: every story in tests/test_stories.yml, through `rasa test core`.

The stories' messages carry the intents and entities the NLU pipeline gives them,
so these test the dialogue: rules, the assessment form and the safety policy acting
on red-flag entities in every state.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.live_servers import REPO_ROOT, VENV_BIN, latest_model


def test_all_conversation_stories_pass(tmp_path: Path, report_figure) -> None:
    stories = yaml.safe_load((REPO_ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    result = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "core",
            "--model",
            str(latest_model()),
            "--stories",
            "tests/test_stories.yml",
            "--out",
            str(tmp_path),
            "--no-plot",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    failed_file = tmp_path / "failed_test_stories.yml"
    failed = yaml.safe_load(failed_file.read_text()) if failed_file.exists() else None
    failed_names = [story["story"] for story in (failed or {}).get("stories", []) or []]
    report_figure(f"Conversation stories (rasa test core): {len(stories) - len(failed_names)}/{len(stories)} passed")
    assert failed_names == [], failed_file.read_text()
