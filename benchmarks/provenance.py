"""What a benchmark result was measured on: the commit, and whether the tree had local changes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Dict

REPO_ROOT = Path(__file__).resolve().parents[1]


def git_state(repo: Path = REPO_ROOT) -> Dict[str, Any]:
    """The checked-out commit and whether the working tree was clean (``None`` outside git)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "HEAD")
    return {"commit": commit or None, "clean_tree": git("status", "--porcelain") == "" if commit else None}


def describe(state: Dict[str, Any]) -> str:
    """``commit abc123def456`` with ``(with local changes)`` when the tree was not clean."""
    if not state.get("commit"):
        return "an unknown commit"
    return f"commit `{state['commit'][:12]}`" + ("" if state.get("clean_tree") else " (with local changes)")
