"""Benchmark of the red-flag detector: pipeline build time and time per message.

Runs every phrasing of ``tests/understanding/red_flags/phrasings.yml`` through
``RedFlagDetector.detect`` several times and prints a small table of p50 / p99 /
max per message, by message length, plus the time to import spaCy and build the
pipeline.

Usage::

    .venv/bin/python benchmarks/red_flag_detector.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import percentile  # noqa: E402  (needs ROOT on the path)

PHRASINGS_PATH = ROOT / "tests" / "understanding" / "red_flags" / "phrasings.yml"


def time_messages(detect, texts: Sequence[str], rounds: int) -> List[float]:
    """Return the wall time in milliseconds of each ``detect`` call."""
    timings: List[float] = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            detect(text)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the fixture")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    import spacy  # noqa: F401  (timed separately: it dominates a cold start)

    import_seconds = time.perf_counter() - started
    from rasa_project.understanding.red_flags.detector import RedFlagDetector

    started = time.perf_counter()
    detector = RedFlagDetector.from_config()
    build_seconds = time.perf_counter() - started

    with open(PHRASINGS_PATH, encoding="utf8") as handle:
        texts = [item["text"] for item in yaml.safe_load(handle)]
    detector.detect("warm up")

    groups: Dict[str, List[str]] = {
        "all phrasings": texts,
        "short (< 100 chars)": [t for t in texts if len(t) < 100],
        "long (>= 1000 chars)": [t for t in texts if len(t) >= 1000],
        "10,000-char message": ["My back aches after work and I stretch. " * 250],
    }
    print(f"import spacy:   {import_seconds * 1000:8.0f} ms")
    print(f"build pipeline: {build_seconds * 1000:8.0f} ms")
    print()
    print(f"{'messages':<22}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, group in groups.items():
        if not group:
            continue
        rounds = args.rounds if len(group) > 1 else max(3, args.rounds // 4)
        timings = time_messages(detector.detect, group, rounds)
        print(
            f"{name:<22}{len(group):>6}{statistics.median(timings):>10.2f}"
            f"{percentile(timings, 0.99):>10.2f}{max(timings):>10.2f}"
        )


if __name__ == "__main__":
    main()
