"""The loopback cluster of the scale-out tests: started once for the module.

Two ``rasa run`` processes with two Sanic workers each behind nginx, one
PostgreSQL tracker store, one Redis lock store and two action servers behind
nginx: the topology of ``deploy/compose.yml`` and ``deploy/helm/``, with the same
endpoints file and environment variables.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
from cryptography.fernet import Fernet

from benchmarks import cluster
from tests.live_servers import latest_model

RASA_PROCESSES = 2
SANIC_WORKERS = 2


def _missing_services() -> list[str]:
    missing = [
        name
        for name in ("nginx", "redis-server")
        if shutil.which(name) is None and not Path(f"/usr/sbin/{name}").exists()
    ]
    if not (cluster.POSTGRES_BIN / "postgres").exists():
        missing.append("postgresql-15")
    if shutil.which("runuser") is None:
        missing.append("runuser")
    return missing


@pytest.fixture(scope="module")
def loopback_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[cluster.LoopbackCluster]:
    """The running cluster; skipped when a service or the trained model is missing."""
    missing = _missing_services()
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install nginx redis-server postgresql)")
    try:
        model = latest_model()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    started = cluster.start_cluster(
        tmp_path_factory.mktemp("cluster"),
        model=model,
        rasa_processes=RASA_PROCESSES,
        sanic_workers=SANIC_WORKERS,
        action_servers=2,
        extra_env={"ASSISTANT_ENCRYPTION_KEYS": Fernet.generate_key().decode("ascii")},
    )
    try:
        yield started
    finally:
        started.stop()
