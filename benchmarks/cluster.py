"""Run the assistant's production topology on loopback: PostgreSQL, Redis, nginx.

The scale-out test and the benchmark both start the same pieces the Helm values and
the compose file in ``deploy/`` describe, as plain processes on 127.0.0.1:

- PostgreSQL (the shared tracker store, ``ASSISTANT_DATABASE_URL``), run as the
  ``postgres`` user from Debian's binaries in a throw-away data directory;
- Redis (Rasa's ``RedisLockStore``, ``REDIS_HOST``/``REDIS_PORT``);
- several ``rasa run`` processes, each with ``SANIC_WORKERS`` workers, behind one
  nginx front that balances them round-robin and names the process that answered
  in an ``X-Upstream`` response header;
- two action servers behind a second nginx listener (``ACTION_SERVER_URL``).

Every port is picked free at start, every process is in its own process group and
is stopped by its own id, and every file lives under the directory the caller gives.
"""

from __future__ import annotations

import getpass
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Dict, List, Mapping, Optional, Sequence

import requests

from tests.support.processes import (  # noqa: F401  (re-exported for the tests)
    ManagedProcess,
    free_port,
    spawn,
    wait_for_http,
    wait_for_port,
    wait_until_closed,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DEPLOY_DIR = REPO_ROOT / "deploy"
NGINX_TEMPLATE = DEPLOY_DIR / "nginx" / "assistant.conf.template"
CLUSTER_ENDPOINTS = DEPLOY_DIR / "endpoints.cluster.yml"
POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
#: How long a cold Rasa process may take to load the model and answer.
RASA_STARTUP_TIMEOUT_S = 240.0
#: The token of Rasa's HTTP API on loopback (tracker reads in tests and benchmarks).
API_TOKEN = "loopback-token"
#: What ``rasa run`` logs when the model does not load (it keeps running without one).
MODEL_LOAD_FAILURE = "Could not load model"


def process_tree_rss_bytes(root_pid: int) -> int:
    """Return the resident memory of a process and all its descendants, in bytes.

    Reads ``/proc`` directly, so it needs no extra package. Processes that exit
    while being read are skipped. Returns 0 if ``root_pid`` no longer exists.
    """
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; fields after it are fixed.
        parent_pid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent_pid, []).append(int(entry.name))
    total = 0
    pending = [root_pid]
    while pending:
        pid = pending.pop()
        total += _rss_bytes(pid)
        pending.extend(children.get(pid, []))
    return total


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


# --- PostgreSQL ------------------------------------------------------------------


@dataclass
class LocalPostgres:
    """A throw-away PostgreSQL server on loopback, owned by the ``postgres`` user."""

    server: ManagedProcess
    root_dir: Path
    port: int
    database: str

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the database (trust authentication on loopback)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then remove its temporary directory."""
        self.server.stop(signal.SIGINT, timeout=30)
        shutil.rmtree(self.root_dir, ignore_errors=True)


def _as_postgres(*args: str) -> List[str]:
    return ["runuser", "-u", "postgres", "--", *args]


def start_postgres(log_dir: Path, database: str = "assistant") -> LocalPostgres:
    """Initialise and start PostgreSQL in a new temporary directory; create ``database``.

    The data directory is made directly under the system's temporary directory,
    owned by ``postgres``: directories made by ``tempfile`` or pytest are private
    to their owner, so the ``postgres`` user could not reach one nested inside them.

    Raises:
        RuntimeError: if PostgreSQL is not installed, or fails to initialise or start.
    """
    if not (POSTGRES_BIN / "initdb").exists():
        raise RuntimeError(f"PostgreSQL binaries not found in {POSTGRES_BIN}")
    root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    shutil.chown(root, "postgres", "postgres")
    data_dir, socket_dir = root / "data", root / "socket"
    initdb = subprocess.run(
        _as_postgres(
            str(POSTGRES_BIN / "initdb"),
            "-D",
            str(data_dir),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--no-sync",
        ),
        capture_output=True,
        text=True,
    )
    if initdb.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}")
    subprocess.run(_as_postgres("mkdir", str(socket_dir)), check=True)
    port = free_port()
    server = spawn(
        "postgres",
        _as_postgres(
            str(POSTGRES_BIN / "postgres"),
            "-D",
            str(data_dir),
            "-p",
            str(port),
            "-h",
            "127.0.0.1",
            "-k",
            str(socket_dir),
            # A test database: durability is not needed, speed and isolation are.
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=200",
        ),
        log_dir,
        port=port,
        cwd=root,
    )
    try:
        wait_for_port(port, 30, server.process)
        _wait_for_createdb(port, database)
    except RuntimeError as error:
        server.kill()
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"{error}\n{server.log_tail()}") from error
    return LocalPostgres(server, root, port, database)


def _wait_for_createdb(port: int, database: str) -> None:
    # The port opens slightly before the server accepts logins; retry briefly.
    deadline = time.monotonic() + 20
    while True:
        result = subprocess.run(
            [str(POSTGRES_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database],
            capture_output=True,
            text=True,
        )
        if result.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"createdb failed: {result.stderr}")
        time.sleep(0.3)


# --- Redis -------------------------------------------------------------------------


def start_redis(work_dir: Path) -> ManagedProcess:
    """Start a Redis server on loopback without persistence (a lock store needs none).

    Raises:
        RuntimeError: if ``redis-server`` is not installed or does not start.
    """
    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = spawn(
        "redis",
        [
            executable,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work_dir),
        ],
        work_dir / "logs",
        port=port,
        cwd=work_dir,
    )
    wait_for_port(port, 15, server.process)
    return server


# --- nginx -------------------------------------------------------------------------


def render_nginx_site(
    rasa_ports: Sequence[int], action_ports: Sequence[int], listen_port: int, actions_listen_port: int
) -> str:
    """Render ``deploy/nginx/assistant.conf.template`` for servers on loopback.

    The template is the one the compose file mounts into the nginx image, which
    fills it from environment variables with ``envsubst``; here the same variables
    are filled in Python. nginx's own ``$variables`` are left untouched.
    """
    values = {
        "RASA_UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{port};" for port in rasa_ports),
        "ACTION_UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{port};" for port in action_ports),
        "NGINX_LISTEN": f"127.0.0.1:{listen_port}",
        "NGINX_ACTIONS_LISTEN": f"127.0.0.1:{actions_listen_port}",
    }
    return Template(NGINX_TEMPLATE.read_text()).safe_substitute(values)


def start_nginx(
    work_dir: Path,
    rasa_ports: Sequence[int],
    action_ports: Sequence[int],
    *,
    actions_port: Optional[int] = None,
) -> NginxFront:
    """Start nginx in the foreground with the site from :func:`render_nginx_site`.

    Args:
        work_dir: nginx's prefix directory is created under it.
        rasa_ports: loopback ports of the Rasa processes.
        action_ports: loopback ports of the action servers.
        actions_port: the port of the action listener, when the Rasa processes
            were already configured with it; a free one otherwise.

    Raises:
        RuntimeError: if nginx is not installed, the configuration is invalid or
            nginx does not start.
    """
    executable = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(executable).exists():
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    prefix = work_dir / "nginx"
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    listen_port, actions_port = free_port(), actions_port or free_port()
    site = prefix / "assistant.conf"
    site.write_text(render_nginx_site(rasa_ports, action_ports, listen_port, actions_port))
    main = prefix / "nginx.conf"
    # Workers run as "nobody" by default and could not write request bodies into a
    # private temporary directory; on loopback they may run as the caller.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    main.write_text(
        user + "worker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'logs' / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"  access_log {prefix / 'logs' / 'access.log'};\n"
        f"  client_body_temp_path {prefix / 'client_body'};\n"
        f"  proxy_temp_path {prefix / 'proxy'};\n"
        f"  fastcgi_temp_path {prefix / 'fastcgi'};\n"
        f"  uwsgi_temp_path {prefix / 'uwsgi'};\n"
        f"  scgi_temp_path {prefix / 'scgi'};\n"
        f"  include {site};\n"
        "}\n"
    )
    base_args = [executable, "-p", str(prefix), "-c", str(main)]
    check = subprocess.run([*base_args, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"invalid nginx configuration:\n{check.stderr}")
    server = spawn("nginx", [*base_args, "-g", "daemon off;"], work_dir / "logs", port=listen_port, cwd=work_dir)
    wait_for_port(listen_port, 15, server.process)
    wait_for_port(actions_port, 15, server.process)
    return NginxFront(server, listen_port, actions_port)


@dataclass
class NginxFront:
    """The nginx front: Rasa's REST channel and API on one port, actions on another."""

    server: ManagedProcess
    port: int
    actions_port: int

    @property
    def url(self) -> str:
        """Base URL clients use to reach any Rasa process."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def actions_url(self) -> str:
        """The action endpoint every Rasa process is configured with."""
        return f"http://127.0.0.1:{self.actions_port}/webhook"


# --- Rasa and the action server --------------------------------------------------


def start_action_server(
    log_dir: Path, env: Optional[Mapping[str, str]] = None, project_dir: Path = REPO_ROOT
) -> ManagedProcess:
    """Start the project's action server (``ACTION_SERVER_TOKEN`` in ``env``) and wait for ``/health``."""
    port = free_port()
    server = spawn(
        "action-server",
        [str(VENV_BIN / "python"), "-m", "rasa_project.action_server", "--actions", "actions", "--port", str(port)],
        # The action server has no --interface option; it binds to SANIC_HOST.
        log_dir,
        port=port,
        env={**(env or {}), "SANIC_HOST": "127.0.0.1"},
        cwd=project_dir,
    )
    wait_for_http(server, "/health", timeout=120)
    return server


def start_rasa(
    log_dir: Path,
    *,
    model: Path,
    endpoints: Path,
    env: Mapping[str, str],
    credentials: Optional[Path] = None,
    project_dir: Path = REPO_ROOT,
    wait: bool = True,
) -> ManagedProcess:
    """Start ``rasa run`` (REST channel and HTTP API) and, if ``wait``, wait until ready.

    Args:
        log_dir: where the process log goes.
        model: the trained model archive.
        endpoints: endpoints file; environment variables in it come from ``env``.
        env: extra environment, e.g. ``ASSISTANT_DATABASE_URL``, ``SANIC_WORKERS``.
        credentials: credentials file; ``project_dir/credentials.yml`` by default.
        project_dir: working directory (custom components are imported from it).
        wait: whether to block until the REST channel answers.
    """
    port = free_port()
    args = [
        str(VENV_BIN / "python"),
        "-m",
        "rasa_project.rasa_cli",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials or project_dir / "credentials.yml"),
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
        "--enable-api",
        "--auth-token",
        API_TOKEN,
    ]
    server = spawn("rasa", args, log_dir, port=port, env=env, cwd=project_dir)
    if wait:
        wait_for_first_answer(server)
    return server


def wait_for_first_answer(
    server: ManagedProcess, timeout: float = RASA_STARTUP_TIMEOUT_S, probe_sender: str = "readiness-probe"
) -> float:
    """Send "hello" to the REST channel until the assistant answers; return the seconds.

    The time is measured from the moment the process was started, so it is the
    cold-start time a person waiting for the first answer would see: interpreter
    start, imports, model loading, connecting to the stores, the first prediction.

    Raises:
        RuntimeError: if the process exits or the timeout passes, with its log tail.
    """
    deadline = server.started_at + timeout
    while time.monotonic() < deadline:
        if not server.is_running():
            raise RuntimeError(f"{server.name} exited during start-up:\n{server.log_tail()}")
        if MODEL_LOAD_FAILURE in server.log_tail(200):
            # Rasa keeps serving without a model; waiting longer cannot help.
            server.kill()
            raise RuntimeError(f"{server.name} could not load its model:\n{server.log_tail()}")
        try:
            response = requests.post(
                f"{server.url}/webhooks/rest/webhook",
                json={"sender": probe_sender, "message": "hello"},
                # Short connect timeout while the port is closed, long read timeout
                # once it accepts: the first answer may wait for the model.
                timeout=(0.5, 120),
            )
            if response.status_code == 200 and response.json():
                return time.monotonic() - server.started_at
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"{server.name} gave no answer after {timeout:.0f}s:\n{server.log_tail()}")


def create_tracker_store_schema(endpoints: Path, env: Mapping[str, str], project_dir: Path = REPO_ROOT) -> None:
    """Create the tracker store's tables once, before several processes start at once.

    Every Rasa process (and every Sanic worker) creates missing tables on start-up;
    several doing so at the same moment race on PostgreSQL's catalogue. Creating
    the store once beforehand, through Rasa's own factory, makes their checks no-ops.
    """
    code = (
        "import sys\n"
        "from rasa.core.tracker_store import TrackerStore\n"
        "from rasa.utils.endpoints import read_endpoint_config\n"
        "TrackerStore.create(read_endpoint_config(sys.argv[1], 'tracker_store'))\n"
    )
    subprocess.run(
        [str(VENV_BIN / "python"), "-c", code, str(endpoints)],
        cwd=project_dir,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


@dataclass
class LoopbackCluster:
    """Everything :func:`start_cluster` started, stopped in reverse order by :meth:`stop`."""

    work_dir: Path
    postgres: LocalPostgres
    redis: ManagedProcess
    action_servers: List[ManagedProcess]
    rasa_servers: List[ManagedProcess]
    nginx: NginxFront
    env: Dict[str, str]

    @property
    def url(self) -> str:
        """The nginx front every client uses."""
        return self.nginx.url

    def rasa_rss_bytes(self) -> int:
        """Resident memory of all running Rasa processes and their workers."""
        return sum(process_tree_rss_bytes(s.process.pid) for s in self.rasa_servers if s.is_running())

    def stop(self) -> None:
        """Stop every process this cluster started."""
        for server in [self.nginx.server, *self.rasa_servers, *self.action_servers, self.redis]:
            server.stop()
        self.postgres.stop()


def cluster_env(postgres_url: str, redis_port: int, actions_url: str, sanic_workers: int) -> Dict[str, str]:
    """Environment of every Rasa process; the same names the Helm values and compose use."""
    return {
        "ASSISTANT_DATABASE_URL": postgres_url,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis_port),
        "REDIS_PASSWORD": "",
        "ACTION_SERVER_URL": actions_url,
        "SANIC_WORKERS": str(sanic_workers),
    }


def start_cluster(
    work_dir: Path,
    *,
    model: Path,
    rasa_processes: int = 2,
    sanic_workers: int = 2,
    action_servers: int = 2,
    endpoints: Path = CLUSTER_ENDPOINTS,
    project_dir: Path = REPO_ROOT,
    extra_env: Optional[Mapping[str, str]] = None,
) -> LoopbackCluster:
    """Start PostgreSQL, Redis, the action servers, the Rasa processes and nginx.

    nginx needs every upstream port before it starts, so the ports of the Rasa
    processes are fixed first and nginx starts last, once all of them answer.
    If anything fails, whatever was started is stopped before the error is raised.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    log_dir = work_dir / "logs"
    # The Rasa processes send it (endpoints.cluster.yml) and the action servers require it.
    extra_env = {"ACTION_SERVER_TOKEN": secrets.token_urlsafe(24), **(extra_env or {})}
    started: List[ManagedProcess] = []
    postgres: Optional[LocalPostgres] = None
    try:
        postgres = start_postgres(log_dir)
        redis = start_redis(work_dir)
        started.append(redis)
        actions = []
        for _ in range(action_servers):
            actions.append(start_action_server(log_dir, env=extra_env, project_dir=project_dir))
            started.append(actions[-1])
        # The action upstream is nginx's second listener: reserve it before nginx runs.
        nginx_actions_port = free_port()
        env = {
            **cluster_env(postgres.url, redis.port, f"http://127.0.0.1:{nginx_actions_port}/webhook", sanic_workers),
            **(extra_env or {}),
        }
        create_tracker_store_schema(endpoints, env, project_dir)
        rasa_servers = [
            start_rasa(log_dir, model=model, endpoints=endpoints, env=env, project_dir=project_dir, wait=False)
            for _ in range(rasa_processes)
        ]
        started.extend(rasa_servers)
        nginx = start_nginx(
            work_dir, [s.port for s in rasa_servers], [a.port for a in actions], actions_port=nginx_actions_port
        )
        started.append(nginx.server)
        for server in rasa_servers:
            wait_for_first_answer(server)
        return LoopbackCluster(work_dir, postgres, redis, actions, rasa_servers, nginx, env)
    except BaseException:
        for process in reversed(started):
            process.kill()
        if postgres is not None:
            postgres.stop()
        raise
