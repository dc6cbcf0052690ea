"""What each Rasa override buys: the same model served with each override switched off.

``scripts/bench-overrides`` runs this module. It trains nothing: it serves the
project's trained model (``models/assistant.tar.gz``) from one Rasa process per
setting of ``ASSISTANT_RASA_OVERRIDES`` (every override, none, and every override
but one, for each one), with one shared action server and a fresh SQLite tracker
store each, and replays the benchmark conversations at each concurrency level. The
rounds of a level alternate between the processes, so that a slow stretch of the
machine falls on all of them alike, and each level's figures pool every turn.

An override earns its place when switching it off costs at least
:data:`WORTH_KEEPING` of throughput or p95 latency at the highest level; the
report says which do. Writes ``benchmarks/results/overrides.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from cryptography.fernet import Fernet

from benchmarks import cluster
from benchmarks.provenance import describe, git_state
from benchmarks.run import RESULTS_DIR, Target, load_levels, write_single_server_endpoints
from rasa_project.rasa_overrides import OVERRIDES, SWITCH_ENV, VERIFIED_RASA_VERSION

REPO_ROOT = cluster.REPO_ROOT
MODEL = REPO_ROOT / "models" / "assistant.tar.gz"
ALL, NONE = "all", "off"
#: Share of throughput or p95 latency an override must save to be kept.
WORTH_KEEPING = 0.03


def settings() -> Dict[str, str]:
    """Label -> value of ``ASSISTANT_RASA_OVERRIDES`` for each process to start."""
    chosen = {ALL: ALL, NONE: NONE}
    for name in OVERRIDES:
        chosen[f"all but {name}"] = ",".join(other for other in OVERRIDES if other != name)
    return chosen


def _level(results: List[Dict[str, Any]], concurrency: int) -> Dict[str, Any]:
    return next(level for level in results if level["concurrency"] == concurrency)


def verdicts(results: Dict[str, Dict[str, Any]], concurrency: int) -> Dict[str, Dict[str, Any]]:
    """Per override: throughput and p95 with it switched off, relative to all on, and whether it pays.

    ``throughput_ratio`` below 1 and ``p95_ratio`` above 1 mean the override helps.
    """
    base = _level(results[ALL]["load"], concurrency)
    out: Dict[str, Dict[str, Any]] = {}
    for name in OVERRIDES:
        without = _level(results[f"all but {name}"]["load"], concurrency)
        throughput = without["turns_per_s"] / base["turns_per_s"] if base["turns_per_s"] else None
        p95 = without["p95_ms"] / base["p95_ms"] if base["p95_ms"] else None
        pays = (throughput is not None and throughput <= 1 - WORTH_KEEPING) or (
            p95 is not None and p95 >= 1 + WORTH_KEEPING
        )
        out[name] = {
            "throughput_ratio_without": round(throughput, 3) if throughput else None,
            "p95_ratio_without": round(p95, 3) if p95 else None,
            "pays": pays,
        }
    return out


def markdown(report: Dict[str, Any]) -> str:
    """The report as a Markdown page."""
    top = report["concurrency"][-1]
    lines = [
        "# Benchmark: what each Rasa override buys",
        "",
        f"Run {report['started']} on {report['cpus']} CPUs, Rasa {report['rasa']}, {describe(report['git'])}. "
        f"The project's model served by one Rasa process per `{SWITCH_ENV}` setting; {report['rounds']} "
        "rounds per level, alternating between the processes. Reproduce with `scripts/bench-overrides`.",
        "",
        "| setting | cold start (s) | "
        + " | ".join(f"{c} concurrent: turns/s, p50 / p95 (ms)" for c in report["concurrency"])
        + " |",
        "|---|---:|" + "---:|" * len(report["concurrency"]),
    ]
    for label, result in report["results"].items():
        cells = [
            f"{level['turns_per_s']}, {level['p50_ms']} / {level['p95_ms']}"
            for level in sorted(result["load"], key=lambda level: level["concurrency"])
        ]
        lines.append(f"| {label} | {result['cold_start_s']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"## Each override at {top} concurrent",
        "",
        f"Ratios are with the override switched off, to all on. An override pays when switching it off costs "
        f"at least {WORTH_KEEPING:.0%} of throughput or of p95 latency.",
        "",
        "| override | throughput without it | p95 without it | pays |",
        "|---|---:|---:|:---:|",
    ]
    for name, verdict in report["verdicts"].items():
        lines.append(
            f"| `{name}` | {verdict['throughput_ratio_without']}x | {verdict['p95_ratio_without']}x | "
            f"{'yes' if verdict['pays'] else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--conversations-per-person", type=int, default=1)
    parser.add_argument("--min-conversations", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the benchmark and write its report."""
    args = parse_args(argv)
    if not args.model.exists():
        raise SystemExit(f"{args.model} does not exist: run scripts/setup first.")
    work_dir = Path(tempfile.mkdtemp(prefix="bench-overrides-"))
    keys = os.environ.get("ASSISTANT_ENCRYPTION_KEYS") or Fernet.generate_key().decode()
    servers: Dict[str, cluster.ManagedProcess] = {}
    results: Dict[str, Dict[str, Any]] = {}
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    # The Rasa servers send the token (endpoints.yml) and the action server requires it.
    token = secrets.token_urlsafe(24)
    action_server = cluster.start_action_server(
        work_dir / "logs", env={"ACTION_SERVER_TOKEN": token}, project_dir=REPO_ROOT
    )
    try:
        endpoints = write_single_server_endpoints(REPO_ROOT, work_dir, f"http://127.0.0.1:{action_server.port}/webhook")
        for index, (label, value) in enumerate(settings().items()):
            env = {
                "ACTION_SERVER_TOKEN": token,
                "ASSISTANT_ENCRYPTION_KEYS": keys,
                "ASSISTANT_DATABASE_URL": f"sqlite:///{work_dir / f'tracker-{index}.db'}",
                SWITCH_ENV: value,
            }
            server = servers[label] = cluster.start_rasa(
                work_dir / "logs", model=args.model, endpoints=endpoints, env=env, project_dir=REPO_ROOT, wait=False
            )
            results[label] = {"overrides": value, "cold_start_s": round(cluster.wait_for_first_answer(server), 2)}
            print(f"  {label}: cold start {results[label]['cold_start_s']} s", flush=True)
        levels = load_levels(
            [Target(label, server.url, [server.process.pid]) for label, server in servers.items()],
            args.concurrency,
            args.conversations_per_person,
            args.min_conversations,
            args.rounds,
        )
        for label in servers:
            results[label]["load"] = levels[label]
    finally:
        for server in servers.values():
            server.stop()
        action_server.stop()
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
    report = {
        "started": started,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "rasa": VERIFIED_RASA_VERSION,
        "git": git_state(),
        "concurrency": sorted(args.concurrency),
        "rounds": args.rounds,
        "results": results,
        "verdicts": verdicts(results, max(args.concurrency)),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "overrides.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "overrides.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
