"""Storage health: what each Rasa server process went through, and the operator's check.

The tracker store never falls back to memory: when it cannot read or write a
conversation it logs an ERROR and carries on, so the person still gets their
reply. Each server process also keeps a small report in ``ASSISTANT_HEALTH_DIR``
(``var/health/`` by default): whether its latest storage operation failed, how
many have failed, the kind of the last failure and when. The operator's
``python -m rasa_project check`` reads these reports. A report is written when the
state changes, and at most every few seconds while failures go on, never on every
turn; it is removed when the process exits normally.

:func:`check_storage` is the storage part of that check: the database answers,
its schema is current, the keys open its data, and no server process reports
a failing storage.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import socket
import threading
import time
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine.url import make_url

from rasa_project.storage import database, key_check, settings
from rasa_project.storage.crypto import FieldCipher
from rasa_project.storage.models import utc_now

logger = logging.getLogger(__name__)

#: Shortest time between two reports while failures go on.
REPORT_INTERVAL_S = 5.0
REPORT_PREFIX = "storage-"


@dataclass
class HealthReport:
    """One server process's storage health, as written to its report file."""

    hostname: str
    pid: int
    started_at: str
    #: Whether the latest storage operation failed.
    failing: bool = False
    failures: int = 0
    #: ``"<operation>: <error class>"`` of the latest failure, never data.
    last_failure: Optional[str] = None
    last_failure_at: Optional[str] = None
    recovered_at: Optional[str] = None

    @property
    def process(self) -> str:
        """How the process is named in messages."""
        return f"server process {self.pid} on {self.hostname}"


class StorageHealth:
    """Counts storage failures of this process and keeps its report file current.

    Args:
        directory: where the report file goes; created on demand.
    """

    def __init__(self, directory: Path) -> None:
        self.report = HealthReport(hostname=socket.gethostname(), pid=os.getpid(), started_at=_now())
        self.path = directory / f"{REPORT_PREFIX}{self.report.hostname}-{self.report.pid}.json"
        self._lock = threading.Lock()
        self._written_at = 0.0
        self._writable = True
        self._write()

    @property
    def failing(self) -> bool:
        """Whether the latest storage operation failed."""
        return self.report.failing

    def failed(self, operation: str, error: BaseException) -> None:
        """Record a failed storage operation (``operation`` names it: ``save``, ``read`` ...)."""
        with self._lock:
            changed = not self.report.failing
            self.report.failing = True
            self.report.failures += 1
            self.report.last_failure = f"{operation}: {type(error).__name__}"
            self.report.last_failure_at = _now()
            if changed or time.monotonic() - self._written_at >= REPORT_INTERVAL_S:
                self._write()

    def succeeded(self) -> None:
        """Record a storage operation that worked; costs nothing unless the previous one failed."""
        if not self.report.failing:
            return
        with self._lock:
            self.report.failing = False
            self.report.recovered_at = _now()
            self._write()

    def remove(self) -> None:
        """Delete the report file (the process is exiting)."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def _write(self) -> None:
        if not self._writable:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(asdict(self.report)), encoding="utf-8")
            os.replace(temporary, self.path)
            self._written_at = time.monotonic()
        except OSError as error:
            self._writable = False
            logger.warning(
                "Cannot write the storage health report to %s (%s); `python -m rasa_project check` "
                "will not see this process.",
                self.path.parent,
                type(error).__name__,
            )


_by_process: Dict[int, StorageHealth] = {}
_by_process_lock = threading.Lock()


def process_health() -> StorageHealth:
    """Return this process's health record (a forked worker gets its own)."""
    pid = os.getpid()
    with _by_process_lock:
        health = _by_process.get(pid)
        if health is None:
            directory = settings.health_dir()
            _remove_reports_of_ended_processes(directory)
            health = StorageHealth(directory)
            _by_process[pid] = health
            atexit.register(health.remove)
        return health


def read_reports(directory: Optional[Path] = None) -> List[HealthReport]:
    """Return the reports of the server processes that are still running.

    Reports of processes on this host that no longer exist (killed without
    cleaning up) are left out; those of other hosts sharing the folder are kept.
    """
    directory = directory or settings.health_dir()
    reports = []
    for path in sorted(directory.glob(f"{REPORT_PREFIX}*.json")):
        try:
            report = HealthReport(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if report.hostname == socket.gethostname() and not _running(report.pid):
            continue
        reports.append(report)
    return reports


def _remove_reports_of_ended_processes(directory: Path) -> None:
    """Delete this host's reports whose process has ended (killed, or a worker that never cleans up)."""
    hostname = socket.gethostname()
    for path in directory.glob(f"{REPORT_PREFIX}{hostname}-*.json"):
        pid = path.stem.rsplit("-", 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _now() -> str:
    return utc_now().isoformat(timespec="seconds")


class Severity(Enum):
    """How a finding of the operator's check counts."""

    OK = "ok"
    WARNING = "warning"
    PROBLEM = "PROBLEM"


@dataclass(frozen=True)
class Finding:
    """One line of the operator's check."""

    severity: Severity
    subject: str
    text: str

    def line(self) -> str:
        """The finding as printed."""
        return f"{self.severity.value:<8} {self.subject}: {self.text}"


def check_storage(database_url: Optional[str], cipher: FieldCipher) -> List[Finding]:
    """Check the database, its schema, the keys and the server processes' reports. Writes nothing."""
    url = database.resolve_url(database_url)
    servers = _server_findings(read_reports())
    try:
        database.wait_until_reachable(url, attempts=1)
    except sa.exc.OperationalError as error:
        unreachable = f"{make_url(url)!r} does not answer ({type(error.orig).__name__})"
        return [Finding(Severity.PROBLEM, "database", unreachable), *servers]
    findings = [Finding(Severity.OK, "database", f"{make_url(url)!r} answers")]
    current, head = database.schema_revisions(url)
    if current == head:
        findings.append(Finding(Severity.OK, "schema", f"up to date ({current})"))
    else:
        findings.append(
            Finding(Severity.PROBLEM, "schema", f"at {current or 'nothing'}, the code needs {head}: run `migrate`")
        )
    try:
        with database.engine_for(url).connect() as connection:
            proven = key_check.verify_keys(connection, cipher)
    except key_check.KeyCheckError as error:
        findings.append(Finding(Severity.PROBLEM, "keys", str(error)))
    else:
        if cipher.enabled:
            findings.append(
                Finding(
                    Severity.OK,
                    "keys",
                    f"open the stored data ({proven.key_checks} key checks, {proven.sampled_values} newest values)",
                )
            )
        else:
            findings.append(
                Finding(Severity.WARNING, "keys", "ASSISTANT_ENCRYPTION_KEYS is not set: data is stored unencrypted")
            )
    findings.extend(servers)
    return findings


def _server_findings(reports: List[HealthReport]) -> List[Finding]:
    if not reports:
        return [Finding(Severity.OK, "servers", "no running server process has reported (none running here?)")]
    findings = []
    for report in reports:
        if report.failing:
            findings.append(
                Finding(
                    Severity.PROBLEM,
                    report.process,
                    f"storage failing since {report.last_failure_at} ({report.failures} failures, "
                    f"last: {report.last_failure}); see its ERROR log lines",
                )
            )
        elif report.failures:
            findings.append(
                Finding(
                    Severity.OK,
                    report.process,
                    f"storage working again since {report.recovered_at} "
                    f"({report.failures} failures before, last: {report.last_failure})",
                )
            )
        else:
            findings.append(Finding(Severity.OK, report.process, "no storage failure"))
    return findings
