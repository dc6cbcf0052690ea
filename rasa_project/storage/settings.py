"""Storage settings read from environment variables, with safe defaults.

The variables are described in the package docstring (:mod:`rasa_project.storage`).
Each function reads the environment when called, so a setting changed between
calls (a test, an operator shell) is honoured without restarting the process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "assistant.db"

DATABASE_URL_VARIABLE = "ASSISTANT_DATABASE_URL"
ENCRYPTION_KEYS_VARIABLE = "ASSISTANT_ENCRYPTION_KEYS"
RETENTION_DAYS_VARIABLE = "ASSISTANT_RETENTION_DAYS"
HEALTH_DIR_VARIABLE = "ASSISTANT_HEALTH_DIR"

DEFAULT_RETENTION_DAYS = 90
DEFAULT_HEALTH_DIR = PROJECT_ROOT / "var" / "health"


def database_url(environ: Optional[Mapping[str, str]] = None) -> str:
    """Return the SQLAlchemy URL of the assistant's database.

    ``postgres://`` (the scheme many hosting platforms hand out) is rewritten to
    ``postgresql://``, which is the only spelling SQLAlchemy 1.4 accepts.
    """
    environ = os.environ if environ is None else environ
    url = environ.get(DATABASE_URL_VARIABLE, "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url


def encryption_keys(environ: Optional[Mapping[str, str]] = None) -> Tuple[str, ...]:
    """Return the configured Fernet keys, the encrypting key first."""
    environ = os.environ if environ is None else environ
    raw = environ.get(ENCRYPTION_KEYS_VARIABLE, "")
    return tuple(key.strip() for key in raw.split(",") if key.strip())


def retention_days(environ: Optional[Mapping[str, str]] = None) -> int:
    """Return the default retention period in days (``ASSISTANT_RETENTION_DAYS``)."""
    environ = os.environ if environ is None else environ
    return max(1, int(positive_number(environ.get(RETENTION_DAYS_VARIABLE), DEFAULT_RETENTION_DAYS)))


def health_dir(environ: Optional[Mapping[str, str]] = None) -> Path:
    """Return the folder where server processes report their storage health (``ASSISTANT_HEALTH_DIR``)."""
    environ = os.environ if environ is None else environ
    configured = environ.get(HEALTH_DIR_VARIABLE, "").strip()
    return Path(configured) if configured else DEFAULT_HEALTH_DIR


def positive_number(raw: Optional[str], default: float) -> float:
    """Return ``raw`` as a positive number, or ``default`` when it is unset, malformed or not positive.

    A mistyped variable falls back to the default instead of stopping the server.
    """
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        return default
    return value if value > 0 else default
