"""Benchmark this project's configuration against Rasa's default on the same data.

``scripts/bench`` runs this module. For each configuration (``config.yml`` and
``benchmarks/default_config.yml``) it

1. trains a model from the project's domain and data with an empty training cache,
   and times it;
2. starts ``rasa run`` with the project's endpoints (its tracker store on a fresh
   SQLite file, its response generator, one shared action server) and times the
   cold start: process start to the first answer on the REST channel;
3. replays the conversations of :mod:`benchmarks.conversations` at 1, 4 and 16
   concurrent conversations and records per-turn latency, throughput, errors and
   the server's resident memory. Both servers stay up and the rounds of a level
   alternate between them (three each by default), so that a stretch of slow
   machine falls on both; each level's figures pool all turns of its rounds;
4. measures red-flag recall (emergency phrasings of ``tests/understanding/red_flags/phrasings.yml``
   answered with the emergency message in the same turn) and intent F1 on
   ``tests/nlu/held_out.yml`` when those files exist.

Then it repeats the highest concurrency against two Rasa processes behind nginx
(PostgreSQL tracker store, Redis lock store, two action servers; see
:mod:`benchmarks.cluster`) and writes ``benchmarks/results/latest.json`` and
``latest.md``. Everything runs on 127.0.0.1 with free ports, in a temporary
directory that is removed afterwards unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

import yaml
from cryptography.fernet import Fernet

from benchmarks import cluster
from benchmarks.conversations import CONVERSATION_MIX
from benchmarks.load import LoadResult, first_replies, percentile, run_load
from benchmarks.provenance import describe, git_state

REPO_ROOT = cluster.REPO_ROOT
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
DEFAULT_CONFIG = REPO_ROOT / "benchmarks" / "default_config.yml"
RED_FLAG_PHRASINGS = REPO_ROOT / "tests" / "understanding" / "red_flags" / "phrasings.yml"
NLU_HELD_OUT = REPO_ROOT / "tests" / "nlu" / "held_out.yml"
#: The opening words of ``utter_emergency``: a reply containing them escalated.
EMERGENCY_MARKER = "medical emergency"
OURS, DEFAULT = "this_project", "rasa_default"


@dataclass(frozen=True)
class Variant:
    """One configuration under test."""

    label: str
    config: Path


def _timestamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def train(variant: Variant, project_dir: Path, work_dir: Path) -> Dict[str, Any]:
    """Train ``variant`` from scratch (empty cache) and return the model path and seconds.

    Raises:
        RuntimeError: if training fails, with the end of its output.
    """
    out_dir = work_dir / "models" / variant.label
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(work_dir / f"cache-{variant.label}")}
    started = time.monotonic()
    completed = subprocess.run(
        [
            str(cluster.VENV_BIN / "rasa"),
            "train",
            "--config",
            str(variant.config),
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            str(out_dir),
            "--fixed-model-name",
            variant.label,
        ],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    model = out_dir / f"{variant.label}.tar.gz"
    if completed.returncode != 0 or not model.exists():
        raise RuntimeError(f"training {variant.label} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return {"model": str(model), "training_time_s": round(seconds, 1)}


def write_single_server_endpoints(project_dir: Path, work_dir: Path, action_url: str) -> Path:
    """Copy the project's ``endpoints.yml`` with the action endpoint set to ``action_url``."""
    endpoints: Dict[str, Any] = yaml.safe_load((project_dir / "endpoints.yml").read_text()) or {}
    # Keep the endpoint's headers: the action server answers only with its token.
    endpoints["action_endpoint"] = {**(endpoints.get("action_endpoint") or {}), "url": action_url}
    path = work_dir / "endpoints.single.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


class MemorySampler:
    """Samples a set of process trees' resident memory in a background thread."""

    def __init__(self, pids: Sequence[int], interval_s: float = 0.25) -> None:
        self.pids = list(pids)
        self.interval_s = interval_s
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def current_bytes(self) -> int:
        """Resident memory of all the sampled process trees now."""
        return sum(cluster.process_tree_rss_bytes(pid) for pid in self.pids)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self.current_bytes())
            self._stop.wait(self.interval_s)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _mb(n_bytes: int) -> float:
    return round(n_bytes / 1024 / 1024, 1)


@dataclass
class Target:
    """A server the load runs against: a URL and the processes whose memory counts."""

    label: str
    url: str
    pids: Sequence[int]


def load_levels(
    targets: Sequence[Target], levels: Sequence[int], conversations_per_person: int, min_conversations: int, rounds: int
) -> Dict[str, List[Dict[str, Any]]]:
    """Run each concurrency level ``rounds`` times against every target, taking turns.

    The targets alternate round by round (A, B, A, B, ...) so that a machine that is
    slower for a while slows them alike, and each level's figures pool every turn of
    its rounds. Returns each target's level summaries with peak memory, by label.
    """
    results: Dict[str, List[Dict[str, Any]]] = {target.label: [] for target in targets}
    for concurrency in levels:
        per_person = max(conversations_per_person, -(-min_conversations // concurrency))
        runs: Dict[str, List[LoadResult]] = {target.label: [] for target in targets}
        peaks = {target.label: 0 for target in targets}
        for _ in range(rounds):
            for target in targets:
                with MemorySampler(target.pids) as memory:
                    runs[target.label].append(
                        asyncio.run(run_load(target.url, CONVERSATION_MIX, concurrency, per_person))
                    )
                peaks[target.label] = max(peaks[target.label], memory.peak_bytes)
        for target in targets:
            summary = LoadResult.pooled(runs[target.label]).summary()
            summary["rounds"] = rounds
            summary["peak_rss_mb"] = _mb(peaks[target.label])
            print(
                f"    {target.label}, {concurrency:>2} concurrent: {summary['turns_per_s']} turns/s, "
                f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
                f"errors {summary['errors']}",
                flush=True,
            )
            results[target.label].append(summary)
    return results


def red_flag_recall(url: str) -> Optional[Dict[str, Any]]:
    """Share of emergency phrasings answered with the emergency message in the first turn.

    Also reports false alarms: negated and look-alike phrasings that got it.
    Returns ``None`` when the phrasing fixture does not exist.
    """
    if not RED_FLAG_PHRASINGS.exists():
        return None
    cases = yaml.safe_load(RED_FLAG_PHRASINGS.read_text()) or []
    emergencies = [c["text"] for c in cases if c.get("kind") == "emergency"]
    harmless = [c["text"] for c in cases if c.get("kind") in ("negated", "control")]
    results = asyncio.run(first_replies(url, emergencies + harmless))
    replies = [reply for reply, _ in results]
    emergency_seconds = [seconds for _, seconds in results[: len(emergencies)]]

    def escalated(reply: List[Dict[str, Any]]) -> bool:
        return any(EMERGENCY_MARKER in str(part.get("text", "")).lower() for part in reply)

    hits = sum(escalated(r) for r in replies[: len(emergencies)])
    false_alarms = sum(escalated(r) for r in replies[len(emergencies) :])
    return {
        "emergency_phrasings": len(emergencies),
        "escalated_same_turn": hits,
        "recall": round(hits / len(emergencies), 3) if emergencies else None,
        "harmless_phrasings": len(harmless),
        "false_alarms": false_alarms,
        # End-to-end time of an emergency turn (REST request to the emergency reply).
        "emergency_turn_p50_ms": round(percentile(emergency_seconds, 0.5) * 1000, 1) if emergencies else None,
        "emergency_turn_p99_ms": round(percentile(emergency_seconds, 0.99) * 1000, 1) if emergencies else None,
    }


def intent_f1(model: Path, project_dir: Path, work_dir: Path, label: str) -> Optional[Dict[str, Any]]:
    """Intent F1 of ``model`` on the held-out NLU set, via ``rasa test nlu``.

    Returns ``None`` when the held-out set does not exist or the evaluation fails.
    """
    if not NLU_HELD_OUT.exists():
        return None
    out_dir = work_dir / f"nlu-{label}"
    completed = subprocess.run(
        [
            str(cluster.VENV_BIN / "rasa"),
            "test",
            "nlu",
            "--model",
            str(model),
            "--nlu",
            str(NLU_HELD_OUT),
            "--out",
            str(out_dir),
            "--no-plot",
        ],
        cwd=project_dir,
        capture_output=True,
        text=True,
    )
    report_path = out_dir / "intent_report.json"
    if completed.returncode != 0 or not report_path.exists():
        print(f"    intent F1 for {label} failed: {completed.stderr[-500:]}", flush=True)
        return None
    report = json.loads(report_path.read_text())
    return {
        "weighted_f1": round(report["weighted avg"]["f1-score"], 3),
        "macro_f1": round(report["macro avg"]["f1-score"], 3),
        "examples": int(report["weighted avg"]["support"]),
    }


@contextmanager
def started_action_server(work_dir: Path, project_dir: Path, env: Dict[str, str]) -> Iterator[cluster.ManagedProcess]:
    """An action server for the single-process runs (``ACTION_SERVER_TOKEN`` in ``env``), stopped on exit."""
    server = cluster.start_action_server(work_dir / "logs", env=env, project_dir=project_dir)
    try:
        yield server
    finally:
        server.stop()


def benchmark_side_by_side(
    variants: Sequence[Variant],
    models: Dict[str, Path],
    args: argparse.Namespace,
    work_dir: Path,
    endpoints: Path,
    server_env: Dict[str, str],
) -> Dict[str, Dict[str, Any]]:
    """Cold start, load levels and red-flag recall of each model, one Rasa process each.

    The servers start one after another, each timed alone from process start to its
    first answer, then all stay up so the load rounds can alternate between them.
    An idle Rasa server uses no CPU, so a round has the machine to itself.
    """
    servers: Dict[str, cluster.ManagedProcess] = {}
    results: Dict[str, Dict[str, Any]] = {}
    try:
        for variant in variants:
            env = {**server_env, "ASSISTANT_DATABASE_URL": f"sqlite:///{work_dir / f'{variant.label}.db'}"}
            server = servers[variant.label] = cluster.start_rasa(
                work_dir / "logs",
                model=models[variant.label],
                endpoints=endpoints,
                env=env,
                project_dir=args.project_dir,
                wait=False,
            )
            cold_start = cluster.wait_for_first_answer(server)
            idle_rss = cluster.process_tree_rss_bytes(server.process.pid)
            print(f"  {variant.label}: cold start {cold_start:.1f} s, idle RSS {_mb(idle_rss)} MB", flush=True)
            results[variant.label] = {"cold_start_s": round(cold_start, 2), "idle_rss_mb": _mb(idle_rss)}
        levels = load_levels(
            [Target(label, server.url, [server.process.pid]) for label, server in servers.items()],
            args.concurrency,
            args.conversations_per_person,
            args.min_conversations,
            args.rounds,
        )
        for label, server in servers.items():
            results[label]["load"] = levels[label]
            results[label]["red_flags"] = red_flag_recall(server.url)
        return results
    finally:
        for server in servers.values():
            server.stop()


def benchmark_cluster(
    model: Path, args: argparse.Namespace, work_dir: Path, server_env: Dict[str, str]
) -> Dict[str, Any]:
    """The highest concurrency level against Rasa processes behind nginx."""
    front = cluster.start_cluster(
        work_dir / "cluster",
        model=model,
        rasa_processes=args.cluster_processes,
        sanic_workers=args.cluster_workers,
        project_dir=args.project_dir,
        endpoints=args.cluster_endpoints,
        extra_env=server_env,
    )
    try:
        pids = [s.process.pid for s in front.rasa_servers]
        levels = load_levels(
            [Target("cluster", front.url, pids)],
            [max(args.concurrency)],
            args.conversations_per_person,
            args.min_conversations,
            args.rounds,
        )
        return {
            "rasa_processes": args.cluster_processes,
            "sanic_workers_per_process": args.cluster_workers,
            "load": levels["cluster"],
        }
    finally:
        front.stop()


def _ratio(ours: Optional[float], default: Optional[float]) -> Optional[float]:
    if ours is None or default in (None, 0):
        return None
    return round(ours / default, 3)


def _level(result: Dict[str, Any], concurrency: int) -> Dict[str, Any]:
    return next((lvl for lvl in result["load"] if lvl["concurrency"] == concurrency), {})


def targets(results: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The project's performance targets, this configuration against the default."""
    ours, default = results["variants"][OURS], results["variants"][DEFAULT]
    top = max(lvl["concurrency"] for lvl in ours["load"])
    checks = [
        (
            f"turns/s at {top} concurrent >= 3x default",
            _ratio(_level(ours, top).get("turns_per_s"), _level(default, top).get("turns_per_s")),
            3.0,
            ">=",
        ),
        (
            f"p95 at {top} concurrent <= 0.33x default",
            _ratio(_level(ours, top).get("p95_ms"), _level(default, top).get("p95_ms")),
            0.33,
            "<=",
        ),
        ("cold start <= 0.33x default", _ratio(ours["cold_start_s"], default["cold_start_s"]), 0.33, "<="),
    ]
    return [
        {
            "target": name,
            "ratio": ratio,
            "met": ratio is not None and (ratio >= bound if op == ">=" else ratio <= bound),
        }
        for name, ratio, bound, op in checks
    ]


def _format_recall(recall: Optional[Dict[str, Any]]) -> Optional[str]:
    if not recall:
        return None
    return (
        f"{recall['recall']} ({recall['escalated_same_turn']}/{recall['emergency_phrasings']}; "
        f"false alarms {recall['false_alarms']}/{recall['harmless_phrasings']}; "
        f"emergency turn p50 {recall.get('emergency_turn_p50_ms')} ms, "
        f"p99 {recall.get('emergency_turn_p99_ms')} ms)"
    )


def _format_f1(f1: Optional[Dict[str, Any]]) -> Optional[str]:
    if not f1:
        return None
    return f"{f1['weighted_f1']} weighted, {f1['macro_f1']} macro ({f1['examples']} examples)"


def _rounds(variant: Dict[str, Any]) -> int:
    return max((level.get("rounds", 1) for level in variant["load"]), default=1)


def render_markdown(results: Dict[str, Any]) -> str:
    """Render the results as the markdown the README links to."""
    ours, default = results["variants"][OURS], results["variants"][DEFAULT]
    lines = [
        "# Benchmark: this project's config vs Rasa's default config",
        "",
        f"Run {results['finished_at']} on {results['machine']['cpus']} CPUs "
        f"({results['machine']['platform']}), Rasa {results['machine']['rasa']}, "
        f"{describe(results.get('git') or {})}, Rasa overrides "
        f"`{(results.get('environment') or {}).get('ASSISTANT_RASA_OVERRIDES', 'all')}`, loaded heap frozen "
        f"`{(results.get('environment') or {}).get('ASSISTANT_FREEZE_LOADED_HEAP', '1')}`. "
        "Same domain, training data, endpoints, tracker store (SQLite) and action server; "
        "only the pipeline and policies differ. The default config has no EmergencyPolicy "
        "and none of the project's rule-based NLU components. "
        f"Each load level ran {_rounds(ours)} rounds per configuration, alternating between "
        "them; its figures pool every turn of those rounds. "
        "Reproduce with `scripts/bench`.",
        "",
        "| metric | this project | Rasa default | ratio |",
        "|---|---:|---:|---:|",
    ]

    def row(name: str, a: Any, b: Any) -> None:
        ratio = _ratio(a, b) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else None
        lines.append(
            f"| {name} | {a if a is not None else 'n/a'} | {b if b is not None else 'n/a'} | "
            f"{'' if ratio is None else f'{ratio}x'} |"
        )

    row("training time (s, empty cache)", ours["training_time_s"], default["training_time_s"])
    row("cold start to first answer (s)", ours["cold_start_s"], default["cold_start_s"])
    row("idle RSS (MB)", ours["idle_rss_mb"], default["idle_rss_mb"])
    for level in ours["load"]:
        c = level["concurrency"]
        other = _level(default, c)
        row(f"{c} concurrent: turns/s", level["turns_per_s"], other.get("turns_per_s"))
        row(
            f"{c} concurrent: p50 / p95 / p99 (ms)",
            f"{level['p50_ms']} / {level['p95_ms']} / {level['p99_ms']}",
            f"{other.get('p50_ms')} / {other.get('p95_ms')} / {other.get('p99_ms')}",
        )
        row(
            f"{c} concurrent: turns / errors / empty replies",
            f"{level['turns']} / {level['errors']} / {level['empty_replies']}",
            f"{other.get('turns')} / {other.get('errors')} / {other.get('empty_replies')}",
        )
        row(f"{c} concurrent: peak RSS (MB)", level["peak_rss_mb"], other.get("peak_rss_mb"))
    row("red-flag recall, same turn", _format_recall(ours.get("red_flags")), _format_recall(default.get("red_flags")))
    row("intent F1 (held-out)", _format_f1(ours.get("intent_f1")), _format_f1(default.get("intent_f1")))
    lines += ["", "## Targets", "", "| target | ratio | met |", "|---|---:|:---:|"]
    for check in results["targets"]:
        lines.append(f"| {check['target']} | {check['ratio']} | {'yes' if check['met'] else 'no'} |")
    scale = results.get("cluster")
    if scale:
        top = scale["load"][0]
        single = _level(ours, top["concurrency"])
        lines += [
            "",
            "## Scale-out on one machine",
            "",
            f"{scale['rasa_processes']} Rasa processes x {scale['sanic_workers_per_process']} Sanic "
            "worker(s) behind nginx, PostgreSQL tracker store, Redis lock store, two action "
            "servers, all on this machine (so they share its CPUs with the load generator).",
            "",
            "| setup | turns/s | p50 / p95 / p99 (ms) | errors | peak RSS (MB) |",
            "|---|---:|---:|---:|---:|",
            f"| 1 process, SQLite, {single.get('concurrency')} concurrent | {single.get('turns_per_s')} | "
            f"{single.get('p50_ms')} / {single.get('p95_ms')} / {single.get('p99_ms')} | {single.get('errors')} | {single.get('peak_rss_mb')} |",
            f"| nginx + {scale['rasa_processes']} processes, PostgreSQL + Redis, {top['concurrency']} concurrent | "
            f"{top['turns_per_s']} | {top['p50_ms']} / {top['p95_ms']} / {top['p99_ms']} | {top['errors']} | {top['peak_rss_mb']} |",
            "",
            f"Turns per process: {top['upstreams']}",
        ]
    return "\n".join(lines) + "\n"


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command-line options; the defaults are what ``scripts/bench`` runs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project-dir", type=Path, default=REPO_ROOT)
    parser.add_argument("--config", type=Path, default=None, help="this project's config (default: PROJECT/config.yml)")
    parser.add_argument("--default-config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--model", type=Path, help="skip training this project's model, use this one")
    parser.add_argument("--default-model", type=Path, help="skip training the default model, use this one")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--conversations-per-person", type=int, default=1)
    parser.add_argument("--min-conversations", type=int, default=16, help="at least this many conversations per level")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds per level, alternating between the configurations"
    )
    parser.add_argument("--cluster-processes", type=int, default=2)
    parser.add_argument("--cluster-workers", type=int, default=1)
    parser.add_argument("--cluster-endpoints", type=Path, default=cluster.CLUSTER_ENDPOINTS)
    parser.add_argument("--no-cluster", action="store_true", help="skip the nginx scale-out run")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args(argv)
    args.project_dir = args.project_dir.resolve()
    args.config = (args.config or args.project_dir / "config.yml").resolve()
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the whole benchmark; return the process exit code."""
    args = parse_args(argv)
    work_dir = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    print(f"Working in {work_dir}", flush=True)
    variants = [Variant(OURS, args.config), Variant(DEFAULT, args.default_config.resolve())]
    given_models = {OURS: args.model, DEFAULT: args.default_model}
    # Production-like: events encrypted at rest, as the deployment runs.
    # The Rasa servers send the token (endpoints.yml) and the action server requires it.
    server_env = {
        "ASSISTANT_ENCRYPTION_KEYS": os.environ.get("ASSISTANT_ENCRYPTION_KEYS") or Fernet.generate_key().decode(),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24),
    }
    results: Dict[str, Any] = {
        "started_at": _timestamp(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "rasa": _rasa_version(),
        },
        "git": git_state(),
        "environment": {
            k: v
            for k, v in os.environ.items()
            if k.startswith(("TF_", "OMP_", "SANIC_", "ASSISTANT_RASA_OVERRIDES", "ASSISTANT_FREEZE_LOADED_HEAP"))
            or k == "RASA_TELEMETRY_ENABLED"
        },
        "variants": {},
    }
    try:
        for variant in variants:
            print(f"Training {variant.label} ({variant.config.name})", flush=True)
            if given_models[variant.label]:
                trained = {"model": str(given_models[variant.label].resolve()), "training_time_s": None}
            else:
                trained = train(variant, args.project_dir, work_dir)
            print(f"  {trained['training_time_s']} s", flush=True)
            results["variants"][variant.label] = {
                "config": str(variant.config.relative_to(args.project_dir))
                if variant.config.is_relative_to(args.project_dir)
                else str(variant.config),
                **trained,
            }
        with started_action_server(work_dir, args.project_dir, server_env) as actions:
            endpoints = write_single_server_endpoints(args.project_dir, work_dir, f"{actions.url}/webhook")
            print(
                f"Serving {' and '.join(v.label for v in variants)}, {args.rounds} alternating rounds per level",
                flush=True,
            )
            models = {v.label: Path(results["variants"][v.label]["model"]) for v in variants}
            for label, measured in benchmark_side_by_side(
                variants, models, args, work_dir, endpoints, server_env
            ).items():
                results["variants"][label].update(measured)
        for variant in variants:
            entry = results["variants"][variant.label]
            entry["intent_f1"] = intent_f1(Path(entry["model"]), args.project_dir, work_dir, variant.label)
        if not args.no_cluster:
            print(f"Scale-out: nginx in front of {args.cluster_processes} Rasa processes", flush=True)
            results["cluster"] = benchmark_cluster(Path(results["variants"][OURS]["model"]), args, work_dir, server_env)
        results["targets"] = targets(results)
        results["finished_at"] = _timestamp()
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
        (args.out / "latest.md").write_text(render_markdown(results))
        print(render_markdown(results), flush=True)
        return 0
    finally:
        if args.keep:
            print(f"Logs kept in {work_dir}", flush=True)
        else:
            shutil.rmtree(work_dir, ignore_errors=True)


def _rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


if __name__ == "__main__":
    sys.exit(main())
