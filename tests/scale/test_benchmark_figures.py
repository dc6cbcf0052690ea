"""The benchmark's arithmetic: percentiles, target checks and the results table."""

from __future__ import annotations

import math
from typing import Any, Dict

from benchmarks.conversations import CONVERSATION_MIX, button
from benchmarks.load import LoadResult, percentile
from benchmarks.run import DEFAULT, OURS, render_markdown, targets


def test_percentile_uses_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 1.0) == 3.0
    assert percentile([7.0], 0.5) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_load_summary_reports_milliseconds_and_throughput() -> None:
    result = LoadResult(concurrency=4, conversations=8, latencies_s=[0.1, 0.2, 0.3, 0.4], wall_time_s=2.0)
    summary = result.summary()
    assert summary["turns"] == 4
    assert summary["turns_per_s"] == 2.0
    assert summary["p50_ms"] == 200.0
    assert summary["p99_ms"] == 400.0


def test_pooled_rounds_keep_every_turn_and_sum_the_time() -> None:
    rounds = [
        LoadResult(16, 16, latencies_s=[0.1, 0.2], errors=1, wall_time_s=1.0, upstreams={"a": 2}),
        LoadResult(16, 16, latencies_s=[0.3, 0.4, 0.5], empty_replies=1, wall_time_s=1.5, upstreams={"a": 1, "b": 2}),
    ]
    pooled = LoadResult.pooled(rounds).summary()
    assert pooled["turns"] == 5
    assert pooled["conversations"] == 32
    assert pooled["turns_per_s"] == 2.0
    assert pooled["p95_ms"] == 500.0
    assert (pooled["errors"], pooled["empty_replies"]) == (1, 1)
    assert pooled["upstreams"] == {"a": 3, "b": 2}


def _variant(turns_per_s: float, p95_ms: float, cold_start_s: float) -> Dict[str, Any]:
    level = {
        "concurrency": 16,
        "turns_per_s": turns_per_s,
        "p50_ms": 1.0,
        "p95_ms": p95_ms,
        "p99_ms": 1.0,
        "turns": 10,
        "errors": 0,
        "empty_replies": 0,
        "peak_rss_mb": 1.0,
        "upstreams": {},
    }
    return {
        "training_time_s": 1.0,
        "cold_start_s": cold_start_s,
        "idle_rss_mb": 1.0,
        "load": [level],
        "red_flags": None,
        "intent_f1": None,
    }


def _results(ours: Dict[str, Any], default: Dict[str, Any]) -> Dict[str, Any]:
    results = {
        "variants": {OURS: ours, DEFAULT: default},
        "finished_at": "now",
        "machine": {"cpus": 2, "platform": "linux", "rasa": "3.6.21"},
    }
    results["targets"] = targets(results)
    return results


def test_targets_are_met_only_past_their_bounds() -> None:
    met = _results(_variant(30.0, 10.0, 3.0), _variant(10.0, 31.0, 10.0))["targets"]
    assert [check["met"] for check in met] == [True, True, True]
    missed = _results(_variant(29.0, 11.0, 4.0), _variant(10.0, 30.0, 10.0))["targets"]
    assert [check["met"] for check in missed] == [False, False, False]


def test_markdown_has_both_configurations_side_by_side() -> None:
    text = render_markdown(_results(_variant(30.0, 10.0, 3.0), _variant(10.0, 31.0, 10.0)))
    assert "| 16 concurrent: turns/s | 30.0 | 10.0 | 3.0x |" in text
    assert "| cold start to first answer (s) | 3.0 | 10.0 | 0.3x |" in text


def test_every_conversation_is_bounded_and_buttons_send_domain_payloads() -> None:
    assert button("inform", {"foot_arch": "flat"}) == '/inform{"foot_arch": "flat"}'
    assert button("deny") == "/deny"
    for conversation in CONVERSATION_MIX:
        assert 0 < len(conversation.turns) <= 20
        assert all(turn.strip() for turn in conversation.turns)
