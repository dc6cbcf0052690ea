"""Web chat sessions the server issues, signed so that a client can only resume its own.

The widget used to choose its session id, and the id became the conversation's sender
id: anyone who sent someone else's id joined that conversation, read its replies live
and wrote into it. Now the server issues every session: a random id (128 bits) and an
HMAC-SHA256 signature of it under a secret only the server knows, given to the
client as one token ``<id>.<signature>``. A client that presents a token the server
signed resumes that session; anything else (a forged or unsigned id, a Telegram
chat id, a REST sender) gets a new session. The conversation id is
``webchat:<id>``: the signature never reaches the tracker, the logs or the
HTTP API.

The secret is ``ASSISTANT_SESSION_SECRET`` (at least 32 characters; every Rasa
process serving the web chat needs the same one). When it is unset, a random
secret is generated once and kept in ``var/session-secret`` (or
``ASSISTANT_SESSION_SECRET_FILE``) with permissions 0600, so that sessions survive a
restart on a developer's machine without any setup.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

logger = logging.getLogger(__name__)

SECRET_ENV = "ASSISTANT_SESSION_SECRET"
SECRET_FILE_ENV = "ASSISTANT_SESSION_SECRET_FILE"
DEFAULT_SECRET_FILE = Path(__file__).resolve().parents[2] / "var" / "session-secret"
MIN_SECRET_CHARS = 32

_ID_BYTES = 16
#: base64url of 16 bytes without padding.
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{22}")
#: The signature is cut to 32 base64url characters (192 bits): still far beyond guessing.
_SIGNATURE_CHARS = 32
#: Signatures are bound to their purpose, so the secret could sign other things safely.
_PURPOSE = b"webchat-session:"


class SessionSecretError(ValueError):
    """The configured session secret is unusable."""


@dataclass(frozen=True)
class WebChatSessions:
    """Issues session tokens and checks the ones clients present."""

    secret: bytes = field(repr=False)

    def issue(self) -> str:
        """Return a new session token ``<id>.<signature>``."""
        session_id = base64.urlsafe_b64encode(secrets.token_bytes(_ID_BYTES)).rstrip(b"=").decode("ascii")
        return f"{session_id}.{self._signature(session_id)}"

    def verify(self, token: object) -> Optional[str]:
        """Return the session id of ``token`` if this server signed it, else ``None``.

        Anything that is not exactly a token this server issued (another type, other
        characters, a wrong or missing signature) is ``None``; signatures are
        compared in constant time.
        """
        if not isinstance(token, str) or len(token) > 100:
            return None
        session_id, dot, signature = token.partition(".")
        if not dot or not _SESSION_ID.fullmatch(session_id):
            return None
        expected = self._signature(session_id)
        if not hmac.compare_digest(signature.encode("ascii", "replace"), expected.encode("ascii")):
            return None
        return session_id

    def _signature(self, session_id: str) -> str:
        digest = hmac.new(self.secret, _PURPOSE + session_id.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[:_SIGNATURE_CHARS]


def load_sessions(environ: Optional[Mapping[str, str]] = None) -> WebChatSessions:
    """Return the session issuer with the configured secret (see the module docstring).

    Raises:
        SessionSecretError: if ``ASSISTANT_SESSION_SECRET`` is set but shorter than
            32 characters, or the secret file is unreadable or too short.
    """
    environ = os.environ if environ is None else environ
    configured = (environ.get(SECRET_ENV) or "").strip()
    if configured:
        if len(configured) < MIN_SECRET_CHARS:
            raise SessionSecretError(f"{SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters long.")
        return WebChatSessions(configured.encode("utf-8"))
    path = Path(environ.get(SECRET_FILE_ENV) or DEFAULT_SECRET_FILE)
    return WebChatSessions(local_secret(path))


def local_secret(path: Path) -> bytes:
    """Return the secret kept in ``path``, creating it (mode 0600) on first use.

    Several processes may start at once: the first to create the file wins and the
    others read its secret.

    Raises:
        SessionSecretError: if the file holds fewer than 32 characters.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written in full under a temporary name, then linked into place: a process
        # never reads a half-written secret, and only the first link wins.
        candidate = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as secret_file:
                secret_file.write(secrets.token_hex(32))
            os.link(candidate, path)
            logger.info("Generated a web chat session secret in %s.", path)
        except FileExistsError:
            pass
        finally:
            candidate.unlink(missing_ok=True)
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning("%s was readable by other users; its permissions are now 0600.", path)
        path.chmod(0o600)
    secret = path.read_text().strip()
    if len(secret) < MIN_SECRET_CHARS:
        raise SessionSecretError(f"{path} must hold a secret of at least {MIN_SECRET_CHARS} characters.")
    return secret.encode("utf-8")
