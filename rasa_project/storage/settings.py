"""Storage settings read from environment variables, with safe defaults.

The variables are described in the package docstring (:mod:`rasa_project.storage`).
Each function reads the environment when called, so a setting changed between
calls (a test, an operator shell) is honoured without restarting the process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "assistant.db"

DATABASE_URL_VARIABLE = "ASSISTANT_DATABASE_URL"
ENCRYPTION_KEYS_VARIABLE = "ASSISTANT_ENCRYPTION_KEYS"
WEBHOOK_URL_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_URL"
WEBHOOK_TOKEN_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_TOKEN"
WEBHOOK_TIMEOUT_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_TIMEOUT"
WEBHOOK_ATTEMPTS_VARIABLE = "ASSISTANT_ESCALATION_WEBHOOK_ATTEMPTS"
RETENTION_DAYS_VARIABLE = "ASSISTANT_RETENTION_DAYS"

DEFAULT_WEBHOOK_TIMEOUT_S = 5.0
DEFAULT_WEBHOOK_ATTEMPTS = 4
DEFAULT_RETENTION_DAYS = 90


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


@dataclass(frozen=True)
class WebhookSettings:
    """Where and how escalations are sent to the clinic."""

    url: str
    timeout_s: float = DEFAULT_WEBHOOK_TIMEOUT_S
    attempts: int = DEFAULT_WEBHOOK_ATTEMPTS
    token: Optional[str] = None
    #: First pause between attempts; it doubles after each failed attempt.
    backoff_s: float = 1.0


def webhook_settings(environ: Optional[Mapping[str, str]] = None) -> Optional[WebhookSettings]:
    """Return the escalation webhook settings, or ``None`` when no URL is set."""
    environ = os.environ if environ is None else environ
    url = environ.get(WEBHOOK_URL_VARIABLE, "").strip()
    if not url:
        return None
    return WebhookSettings(
        url=url,
        timeout_s=_positive_float(environ.get(WEBHOOK_TIMEOUT_VARIABLE), DEFAULT_WEBHOOK_TIMEOUT_S),
        attempts=max(1, int(_positive_float(environ.get(WEBHOOK_ATTEMPTS_VARIABLE), DEFAULT_WEBHOOK_ATTEMPTS))),
        token=environ.get(WEBHOOK_TOKEN_VARIABLE, "").strip() or None,
    )


def retention_days(environ: Optional[Mapping[str, str]] = None) -> int:
    """Return the default retention period in days (``ASSISTANT_RETENTION_DAYS``)."""
    environ = os.environ if environ is None else environ
    return max(1, int(_positive_float(environ.get(RETENTION_DAYS_VARIABLE), DEFAULT_RETENTION_DAYS)))


def _positive_float(raw: Optional[str], default: float) -> float:
    # A mistyped variable falls back to the default instead of stopping the server.
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        return default
    return value if value > 0 else default
