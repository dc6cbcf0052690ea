"""Benchmark of the answer readers and the fact finder: time per call, per slot.

Reads every example of the readers' test tables (``tests/understanding/test_answers_*.py``)
with ``read_answer`` for its slot, and the fact tables with ``extract_facts``, several
times, and prints p50 / p99 / max wall time and p99 CPU time per call. Also prints the
import time and the first call, which loads the English word list for typo correction.

Usage::

    .venv/bin/python benchmarks/readers.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import percentile  # noqa: E402  (needs ROOT on the path)

TODAY = date(2026, 11, 24)


def time_calls(call: Callable[[str], object], texts: Sequence[str], rounds: int) -> Tuple[List[float], List[float]]:
    """Return the wall time and the process CPU time in milliseconds of each ``call``.

    On a shared machine the wall time's tail is mostly waiting for a core; the CPU
    time shows what the call itself costs.
    """
    wall: List[float] = []
    cpu: List[float] = []
    for _ in range(rounds):
        for text in texts:
            started, started_cpu = time.perf_counter(), time.process_time()
            call(text)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def report(name: str, count: int, timings: Tuple[List[float], List[float]]) -> None:
    """Print one row: p50, p99 and max of the wall time, and p99 of the CPU time."""
    wall, cpu = timings
    print(
        f"{name:<24}{count:>5}{statistics.median(wall):>10.3f}{percentile(wall, 0.99):>10.3f}"
        f"{max(wall):>10.3f}{percentile(cpu, 0.99):>12.3f}"
    )


def tables() -> Dict[str, List[str]]:
    """The texts of each slot's test table, keyed by slot."""
    from tests.understanding import (
        test_answers_daily_load,
        test_answers_foot_arch,
        test_answers_gait_diagnosis,
        test_answers_insole_history,
        test_answers_leg_length,
        test_answers_pain_duration,
        test_answers_pain_severity,
        test_answers_red_flag_screen,
        test_answers_shoe_wear,
    )

    return {
        "pain_duration": [text for text, _ in test_answers_pain_duration.CATEGORIES],
        "pain_severity": [text for text, _ in test_answers_pain_severity.SEVERITY],
        "red_flag_screen": [text for text, _ in test_answers_red_flag_screen.SCREEN],
        "daily_load": [text for text, _ in test_answers_daily_load.DAILY_LOAD],
        "foot_arch": [text for text, _ in test_answers_foot_arch.ARCH],
        "shoe_wear": [text for text, _ in test_answers_shoe_wear.SHOE_WEAR],
        "leg_length_difference": [text for text, _ in test_answers_leg_length.LEG_LENGTH],
        "gait_diagnosis": [text for text, _ in test_answers_gait_diagnosis.GAIT],
        "insole_history": [text for text, _ in test_answers_insole_history.INSOLE_HISTORY],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="passes over each table")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from rasa_project.understanding.answers import read_answer
    from rasa_project.understanding.facts import extract_facts

    import_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    read_answer("foot_arch", "hgih", today=TODAY)
    first_call_ms = (time.perf_counter() - started) * 1000

    from tests.understanding import test_facts

    fact_texts = [text for text, _ in test_facts.POSITIVE_TABLE] + list(test_facts.NEGATIVE_TABLE)
    print(f"import readers and facts: {import_ms:8.1f} ms")
    print(f"first call (word list):   {first_call_ms:8.1f} ms")
    print()
    print(f"{'slot':<24}{'n':>5}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'cpu p99 ms':>12}")
    for slot, texts in tables().items():
        report(slot, len(texts), time_calls(lambda text, s=slot: read_answer(s, text, today=TODAY), texts, args.rounds))
    report(
        "extract_facts", len(fact_texts), time_calls(lambda t: extract_facts(t, today=TODAY), fact_texts, args.rounds)
    )


if __name__ == "__main__":
    main()
