"""Replay conversations against Rasa's REST channel with N people at once.

Each simulated person is an asyncio task with its own sender id that sends a
conversation's turns one after another, each as soon as the previous answer
arrived, like a fast typist. The load is bounded by a number of conversations, not
by time, so a slow server makes the run longer but never sends fewer messages.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import aiohttp

from benchmarks.conversations import Conversation

#: Per-turn timeout: a turn slower than this counts as an error.
TURN_TIMEOUT_S = 60.0


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the ``fraction`` quantile of ``values`` (nearest rank, as latency tools do).

    Returns ``nan`` for no values.
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class LoadResult:
    """What one load level measured."""

    concurrency: int
    conversations: int
    latencies_s: List[float] = field(default_factory=list)
    errors: int = 0
    empty_replies: int = 0
    wall_time_s: float = 0.0
    upstreams: Dict[str, int] = field(default_factory=dict)
    error_samples: List[str] = field(default_factory=list)

    @classmethod
    def pooled(cls, rounds: Sequence[LoadResult]) -> LoadResult:
        """Combine rounds of one level into one result: every turn, summed wall time.

        Throughput is then all turns over the time spent sending them, and the
        percentiles are those of every turn of every round.
        """
        if not rounds:
            raise ValueError("no rounds to pool")
        pooled = cls(rounds[0].concurrency, sum(r.conversations for r in rounds))
        for result in rounds:
            pooled.latencies_s += result.latencies_s
            pooled.errors += result.errors
            pooled.empty_replies += result.empty_replies
            pooled.wall_time_s += result.wall_time_s
            pooled.error_samples += result.error_samples
            for upstream, count in result.upstreams.items():
                pooled.upstreams[upstream] = pooled.upstreams.get(upstream, 0) + count
        return pooled

    @property
    def turns(self) -> int:
        """Turns answered successfully."""
        return len(self.latencies_s)

    def summary(self) -> Dict[str, Any]:
        """Return the figures as a JSON-ready dictionary (latencies in milliseconds)."""
        return {
            "concurrency": self.concurrency,
            "conversations": self.conversations,
            "turns": self.turns,
            "errors": self.errors,
            "empty_replies": self.empty_replies,
            "wall_time_s": round(self.wall_time_s, 2),
            "turns_per_s": round(self.turns / self.wall_time_s, 2) if self.wall_time_s else 0.0,
            "p50_ms": round(percentile(self.latencies_s, 0.50) * 1000, 1),
            "p95_ms": round(percentile(self.latencies_s, 0.95) * 1000, 1),
            "p99_ms": round(percentile(self.latencies_s, 0.99) * 1000, 1),
            "upstreams": dict(self.upstreams),
            "error_samples": self.error_samples[:5],
        }


async def _send_turn(session: aiohttp.ClientSession, url: str, sender: str, message: str, result: LoadResult) -> None:
    started = time.perf_counter()
    try:
        async with session.post(
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
        ) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            elapsed = time.perf_counter() - started
            upstream = response.headers.get("X-Upstream")
            if upstream:
                result.upstreams[upstream] = result.upstreams.get(upstream, 0) + 1
            if response.status != 200 or not isinstance(body, list):
                result.errors += 1
                result.error_samples.append(f"HTTP {response.status} for {message!r}")
                return
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        result.errors += 1
        result.error_samples.append(f"{type(error).__name__} for {message!r}: {error}")
        return
    result.latencies_s.append(elapsed)
    if not body:
        result.empty_replies += 1


async def _person(
    session: aiohttp.ClientSession,
    url: str,
    scripts: Sequence[Conversation],
    run_id: str,
    worker: int,
    conversations: int,
    result: LoadResult,
) -> None:
    for index in range(conversations):
        script = scripts[(worker + index) % len(scripts)]
        sender = f"bench-{run_id}-{worker}-{index}-{script.name}"
        for message in script.turns:
            await _send_turn(session, url, sender, message, result)


async def run_load(
    url: str,
    scripts: Sequence[Conversation],
    concurrency: int,
    conversations_per_person: int,
    run_id: Optional[str] = None,
) -> LoadResult:
    """Replay ``scripts`` with ``concurrency`` people, each having that many conversations.

    Args:
        url: base URL of a Rasa server (or the nginx front), e.g. ``http://127.0.0.1:5005``.
        scripts: the conversations to cycle through; person ``i`` starts at script ``i``.
        concurrency: how many people talk at the same time.
        conversations_per_person: how many conversations each person has, one after another.
        run_id: makes sender ids unique across runs; random by default.
    """
    run_id = run_id or uuid.uuid4().hex[:8]
    result = LoadResult(concurrency, concurrency * conversations_per_person)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)
    # One connection per person, as separate browsers would have.
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _person(session, url, scripts, run_id, worker, conversations_per_person, result)
                for worker in range(concurrency)
            )
        )
        result.wall_time_s = time.perf_counter() - started
    return result


async def first_replies(
    url: str, messages: Sequence[str], concurrency: int = 4
) -> List[Tuple[List[Dict[str, Any]], float]]:
    """Send each message as the first turn of a new conversation.

    Used for red-flag recall: what a person who opens with the symptom is told, and
    how long that turn took end to end. Returns ``(replies, seconds)`` per message;
    a failed request yields an empty reply list.
    """
    run_id = uuid.uuid4().hex[:8]
    semaphore = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)

    async def one(index: int, message: str, session: aiohttp.ClientSession) -> Tuple[List[Dict[str, Any]], float]:
        async with semaphore:
            start = time.perf_counter()
            try:
                async with session.post(
                    f"{url}/webhooks/rest/webhook",
                    json={"sender": f"recall-{run_id}-{index}", "message": message},
                ) as response:
                    body = await response.json(content_type=None)
                    replies = body if isinstance(body, list) else []
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                replies = []
            return replies, time.perf_counter() - start

    async with aiohttp.ClientSession(timeout=timeout) as session:
        return list(await asyncio.gather(*(one(i, m, session) for i, m in enumerate(messages))))
