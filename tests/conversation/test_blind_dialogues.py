"""The frozen blind dialogues, played against the running assistant over REST.

Written from the clinical spec by someone who never saw the assistant's readers or
dialogue files (see ``tests/conversation/blind/README.md``); never used for tuning.
The pass count is printed under "Measured figures"; the test fails when it drops
below the batch's floor, so that the sets guard against regressions.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, List, Mapping, Sequence

import pytest
import yaml

from tests.conversation.dialogues import DialogueOutcome, play_dialogue
from tests.live_servers import ServerProcess, send_rest, tracker_slots

pytestmark = pytest.mark.e2e

BLIND_DIR = Path(__file__).parent / "blind"
#: Per batch, the least number of dialogues that must pass (the first figures of each
#: batch are in blind/README.md; these are the current ones).
FLOORS = {
    "2026-11-30_dialogues.yml": 72,
    "2026-11-30b_dialogues.yml": 60,
    "2026-11-30c_dialogues.yml": 58,
    "2026-11-30d_dialogues.yml": 63,
    "2026-11-30e_dialogues.yml": 63,
    "2026-11-30f_dialogues.yml": 63,
    "2026-11-30g_dialogues.yml": 37,
    "2026-11-30h_dialogues.yml": 48,
    "2026-11-30i_dialogues.yml": 45,
    "2026-12-01j_dialogues.yml": 46,
    "2026-12-01k_dialogues.yml": 48,
    "2026-12-01l_dialogues.yml": 47,
    "2026-12-01m_dialogues.yml": 42,
    "2026-12-01n_dialogues.yml": 45,
    "2026-12-01o_dialogues.yml": 46,
    "2026-12-01p_dialogues.yml": 45,
    "2026-12-01q_dialogues.yml": 48,
    "2026-12-01r_dialogues.yml": 48,
    "2026-12-01s_dialogues.yml": 47,
    "2026-12-01t_dialogues.yml": 47,
    "2026-12-01u_dialogues.yml": 46,
    "2026-12-01v_dialogues.yml": 47,
    "2026-12-01w_dialogues.yml": 48,
    "2026-12-01x_dialogues.yml": 48,
    "2026-12-01y_dialogues.yml": 48,
    "2026-12-01z_dialogues.yml": 47,
    "2026-12-01za_dialogues.yml": 47,
    "2026-12-01zb_dialogues.yml": 48,
}


def _play_batch(server: ServerProcess, batch: Path) -> List[DialogueOutcome]:
    outcomes = []
    for dialogue in yaml.safe_load(batch.read_text()):
        sender = f"blind-{uuid.uuid4().hex[:10]}"

        def send(text: str, s: str = sender) -> Sequence[Mapping[str, Any]]:
            return send_rest(server.url, s, text)

        outcomes.append(play_dialogue(dialogue, send, lambda s=sender: tracker_slots(server.url, s)))
    return outcomes


def test_every_batch_has_a_floor() -> None:
    assert sorted(FLOORS) == sorted(path.name for path in BLIND_DIR.glob("*.yml"))


@pytest.mark.parametrize("batch_name", sorted(FLOORS))
def test_blind_dialogues(assistant: ServerProcess, batch_name: str, report_figure) -> None:
    outcomes = _play_batch(assistant, BLIND_DIR / batch_name)
    passed = [o for o in outcomes if o.passed]
    interruptions = sum(o.direct_questions for o in outcomes)
    report_figure(
        f"Blind dialogues {batch_name}: {len(passed)}/{len(outcomes)} passed; "
        f"{interruptions} unforeseen direct safety questions"
    )
    failures = "\n".join(f"{o.dialogue_id}: {'; '.join(o.problems)}" for o in outcomes if not o.passed)
    assert len(passed) >= FLOORS[batch_name], failures
