"""Operator command line: ``python -m rasa_project COMMAND``.

Commands:
    migrate                 create or upgrade the database schema
    check                   database, schema, keys, server storage health and
                            escalation delivery; exit status 1 on a problem
    erase ID                erase one conversation (its escalation records are
                            kept de-identified)
    export ID [--out FILE]  write one conversation (decrypted) as JSON
    purge [--days N]        erase conversations inactive for N days
                            (default ASSISTANT_RETENTION_DAYS, 90)
    report [--html FILE]    usage and escalation figures; optional HTML page
    rotate-keys             re-encrypt stored data with the newest key
    generate-key            print a new encryption key
    deliver-escalations [--once]
                            deliver recorded escalations to the clinic webhook
                            until stopped (or those due now, with --once)
    db-url                  print the database URL in use (password hidden)

The database and keys come from the environment (see :mod:`rasa_project.storage`),
the webhook too (see :mod:`rasa_project.escalations`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence


def _migrate(args: argparse.Namespace) -> int:
    from rasa_project.storage import database

    database.migrate()
    print("Database schema is up to date.")
    return 0


def _check(args: argparse.Namespace) -> int:
    from rasa_project.escalations import delivery
    from rasa_project.storage import health, settings
    from rasa_project.storage.crypto import active_cipher

    url = settings.database_url()
    findings = health.check_storage(url, active_cipher())
    if not any(f.severity is health.Severity.PROBLEM and f.subject in ("database", "schema") for f in findings):
        findings.extend(delivery.outbox_findings(url, delivery.webhook_settings()))
    for finding in findings:
        print(finding.line())
    return 1 if any(f.severity is health.Severity.PROBLEM for f in findings) else 0


def _erase(args: argparse.Namespace) -> int:
    from rasa_project.storage import privacy

    print(privacy.erase_conversation(args.conversation_id).describe())
    return 0


def _export(args: argparse.Namespace) -> int:
    from rasa_project.storage import privacy

    exported = privacy.export_conversation(args.conversation_id)
    text = json.dumps(exported, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"Wrote {len(exported['events'])} events to {args.out}.", file=sys.stderr)
    else:
        print(text)
    return 0


def _purge(args: argparse.Namespace) -> int:
    from rasa_project.storage import privacy

    print(privacy.purge_older_than(args.days).describe())
    return 0


def _report(args: argparse.Namespace) -> int:
    from rasa_project.storage import report

    figures = report.build_report()
    print(report.render_text(figures), end="")
    if args.html:
        Path(args.html).write_text(report.render_html(figures), encoding="utf-8")
        print(f"Wrote {args.html}.", file=sys.stderr)
    return 0


def _rotate_keys(args: argparse.Namespace) -> int:
    from rasa_project.storage.rotation import rotate_keys

    print(f"Re-encrypted {rotate_keys()} rows.")
    return 0


def _generate_key(args: argparse.Namespace) -> int:
    from rasa_project.storage.crypto import generate_key

    print(generate_key())
    return 0


def _deliver_escalations(args: argparse.Namespace) -> int:
    import signal

    from rasa_project.escalations import delivery
    from rasa_project.storage import settings, startup
    from rasa_project.storage.crypto import active_cipher

    webhook = delivery.webhook_settings()
    if webhook is None:
        print("error: ASSISTANT_ESCALATION_WEBHOOK_URL is not set.", file=sys.stderr)
        return 1
    url, cipher = settings.database_url(), active_cipher()
    try:
        startup.prepare_for_serving(url, cipher, wait_attempts=1)
    except startup.StorageRefused as error:
        print(f"error: {error}.", file=sys.stderr)
        return 1
    sender = delivery.EscalationSender(url, webhook, cipher)
    if args.once:
        done = sender.deliver_due()
        print(f"Delivered {done.delivered} escalations; {done.failed} attempts failed.")
        return 0 if not done.failed else 1
    logging.getLogger("rasa_project").setLevel(logging.INFO)
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda _signal, _frame: sender.stop(timeout=0))
    print("Delivering escalations until stopped (Ctrl-C).", file=sys.stderr)
    sender.run()
    return 0


def _db_url(args: argparse.Namespace) -> int:
    from sqlalchemy.engine.url import make_url

    from rasa_project.storage import settings

    print(repr(make_url(settings.database_url())))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the operator command line."""
    parser = argparse.ArgumentParser(
        prog="python -m rasa_project",
        description="Operate the back-pain assistant's storage: privacy, retention, reports.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("migrate", _migrate, "Create or upgrade the database schema.")
    add("check", _check, "Check the database, its keys, the servers' storage and escalation delivery.")
    add(
        "erase", _erase, "Erase one conversation; its escalation records are kept without the conversation id."
    ).add_argument("conversation_id", metavar="CONVERSATION_ID")
    export = add("export", _export, "Write one conversation, decrypted, as JSON.")
    export.add_argument("conversation_id", metavar="CONVERSATION_ID")
    export.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    add("purge", _purge, "Erase conversations with no activity for N days.").add_argument(
        "--days", type=_non_negative_int, metavar="N", help="default: ASSISTANT_RETENTION_DAYS or 90"
    )
    add("report", _report, "Print usage and escalation figures.").add_argument(
        "--html", metavar="FILE", help="also write an HTML page with charts"
    )
    add("rotate-keys", _rotate_keys, "Re-encrypt stored data with the first key of ASSISTANT_ENCRYPTION_KEYS.")
    add("generate-key", _generate_key, "Print a new encryption key.")
    add(
        "deliver-escalations", _deliver_escalations, "Deliver recorded escalations to the clinic webhook until stopped."
    ).add_argument("--once", action="store_true", help="deliver the escalations due now, then exit")
    add("db-url", _db_url, "Print the database URL in use, password hidden.")
    return parser


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return int(args.handler(args))
    except Exception as error:
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
