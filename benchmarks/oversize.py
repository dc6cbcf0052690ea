"""Other people's latency while one client sends maximum-size messages in a loop.

One event loop serves every conversation, so a message that takes long to read
delays everyone. This case starts the project's action server and Rasa server (as
the tests do, on loopback, shipped credentials and limits), then runs the load
benchmark's conversation mix with ``--concurrency`` people twice, alternating for
``--rounds`` rounds: once alone ("normal") and once while one more client sends
messages of the largest size the server accepts, one after another ("flooded").
It reports p50/p95 of the people's turns in both and the ratio of the p95s
(target: at most 2x), and what the flooding client saw.

The flooding message is ordinary prose at ``ASSISTANT_MESSAGE_HARD_CAP_CHARS``
(20,000 characters by default: over the message limit, so it is answered with a
request for a shorter message, and read whole for red flags). ``--flood
symptoms`` sends a text dense with symptom words instead, the red-flag detector's
worst case, and ``--flood oversized`` a 1 MB body, which is refused before it is
read.

    .venv/bin/python -m benchmarks.oversize --concurrency 8 --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, Dict, List, Optional, Sequence

import aiohttp

from benchmarks.conversations import CONVERSATION_MIX
from benchmarks.load import LoadResult, percentile, run_load
from rasa_project.channels.message_limits import MessageLimits
from tests.live_servers import start_action_server, start_rasa_server, write_endpoints

PROSE = (
    "My lower back has ached for about four months, mostly after long shifts at the till, "
    "and I have been reading about insoles and whether my flat feet could be part of it. "
)
SYMPTOM_WORDS = "bladder numb legs weak "
TARGET_RATIO = 2.0


def flood_message(kind: str, limits: MessageLimits) -> str:
    """The message the flooding client sends, by kind (see the module docstring)."""
    if kind == "prose":
        return (PROSE * (limits.hard_cap_chars // len(PROSE) + 1))[: limits.hard_cap_chars]
    if kind == "symptoms":
        return (SYMPTOM_WORDS * (limits.hard_cap_chars // len(SYMPTOM_WORDS) + 1))[: limits.hard_cap_chars]
    if kind == "oversized":
        return "x" * 1_000_000
    raise ValueError(f"unknown flood kind {kind!r}")


async def flood(url: str, message: str, stop: asyncio.Event, new_conversations: bool = False) -> Dict[str, Any]:
    """Send ``message`` again and again as one client until ``stop`` is set.

    The client keeps one conversation, unless ``new_conversations``: then each
    message starts a new one.
    """
    latencies: List[float] = []
    statuses: Dict[str, int] = {}
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while not stop.is_set():
            if new_conversations:
                sender = f"flood-{uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            try:
                async with session.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
                ) as response:
                    await response.read()
                    status = str(response.status)
            except aiohttp.ClientError:
                # A server refusing a body may close the connection before reading it.
                status = "closed"
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(time.perf_counter() - started)
    return {
        "messages": len(latencies),
        "statuses": statuses,
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
    }


async def flooded_round(
    url: str, message: str, concurrency: int, conversations: int, new_conversations: bool
) -> Dict[str, Any]:
    """One round of the conversation mix while the flooding client runs."""
    stop = asyncio.Event()
    flooding = asyncio.create_task(flood(url, message, stop, new_conversations))
    await asyncio.sleep(0.5)  # the flood is under way before the people start
    result = await run_load(url, CONVERSATION_MIX, concurrency, conversations)
    stop.set()
    return {"load": result, "flood": await flooding}


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) the process ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    url: str,
    server_pid: int,
    kind: str,
    concurrency: int,
    conversations: int,
    rounds: int,
    new_conversations: bool = False,
) -> Dict[str, Any]:
    """Alternate normal and flooded rounds and pool each side's turns."""
    message = flood_message(kind, MessageLimits.from_environment())
    normal: List[LoadResult] = []
    flooded: List[LoadResult] = []
    floods: List[Dict[str, Any]] = []
    cpu = {"normal": 0.0, "flooded": 0.0}
    for _ in range(rounds):
        before = cpu_seconds(server_pid)
        normal.append(asyncio.run(run_load(url, CONVERSATION_MIX, concurrency, conversations)))
        middle = cpu_seconds(server_pid)
        round_result = asyncio.run(flooded_round(url, message, concurrency, conversations, new_conversations))
        cpu["normal"] += middle - before
        cpu["flooded"] += cpu_seconds(server_pid) - middle
        flooded.append(round_result["load"])
        floods.append(round_result["flood"])
    normal_summary = LoadResult.pooled(normal).summary()
    flooded_summary = LoadResult.pooled(flooded).summary()
    ratio = flooded_summary["p95_ms"] / normal_summary["p95_ms"] if normal_summary["p95_ms"] else None
    return {
        "flood_kind": kind,
        "flood_message_chars": len(message),
        "flood_conversations": "new per message" if new_conversations else "one",
        "concurrency": concurrency,
        "normal": normal_summary,
        "flooded": flooded_summary,
        "flooding_client": floods,
        "server_cpu_s": {side: round(seconds, 2) for side, seconds in cpu.items()},
        "p95_ratio": round(ratio, 2) if ratio else None,
        "target_ratio": TARGET_RATIO,
        "met": ratio is not None and ratio <= TARGET_RATIO,
    }


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=8, help="people talking at once (default 8)")
    parser.add_argument("--conversations", type=int, default=1, help="conversations per person and round")
    parser.add_argument("--rounds", type=int, default=2, help="normal/flooded round pairs (default 2)")
    parser.add_argument("--flood", choices=("prose", "symptoms", "oversized"), default="prose")
    parser.add_argument(
        "--new-conversations", action="store_true", help="the flooding client starts a new conversation per message"
    )
    parser.add_argument("--out", type=Path, help="also write the result as JSON here")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    with TemporaryDirectory(prefix="oversize-") as directory:
        work = Path(directory)
        actions = start_action_server(work, env={"ASSISTANT_DATABASE_URL": f"sqlite:///{work / 'records.db'}"})
        try:
            rasa = start_rasa_server(work, endpoints=write_endpoints(work, action_port=actions.port))
            try:
                asyncio.run(run_load(rasa.url, CONVERSATION_MIX, 2, 1))  # warm-up
                result = measure(
                    rasa.url,
                    rasa.process.pid,
                    args.flood,
                    args.concurrency,
                    args.conversations,
                    args.rounds,
                    args.new_conversations,
                )
            finally:
                rasa.stop()
        finally:
            actions.stop()
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
