"""Encryption at rest of conversation text and health data (Fernet / MultiFernet).

Stored values are either a Fernet token (always starting with ``gAAAAA``) or plain
text. JSON text never starts with ``g``, so both kinds can live in one column:
rows written before a key was configured stay readable, and
:meth:`FieldCipher.rotate` upgrades them in place.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Optional, Sequence, Tuple

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from rasa_project.storage import settings

logger = logging.getLogger(__name__)

#: Every Fernet token starts with the base64 of its version byte 0x80 and a timestamp.
TOKEN_PREFIX = "gAAAAA"


class DecryptionError(RuntimeError):
    """A stored value is encrypted and none of the configured keys opens it."""


class FieldCipher:
    """Encrypts and decrypts text values with a list of Fernet keys.

    Args:
        keys: URL-safe base64 Fernet keys. The first encrypts; all decrypt. An
            empty sequence disables encryption (values are stored as given).

    Raises:
        ValueError: if a key is not a valid Fernet key.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        fernets = [Fernet(key.encode("ascii")) for key in keys]
        self._fernet: Optional[MultiFernet] = MultiFernet(fernets) if fernets else None
        self._encrypting: Optional[Fernet] = fernets[0] if fernets else None

    @property
    def enabled(self) -> bool:
        """Whether values are encrypted on write."""
        return self._fernet is not None

    def encrypt(self, plaintext: str) -> str:
        """Return the value to store for ``plaintext`` (a token, or the text itself)."""
        if self._fernet is None:
            return plaintext
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        """Return the plain text of a stored value, encrypted or not.

        Raises:
            DecryptionError: if ``stored`` is a token and no configured key opens it.
        """
        if not is_token(stored):
            return stored
        if self._fernet is None:
            raise DecryptionError("Stored data is encrypted but ASSISTANT_ENCRYPTION_KEYS is not set.")
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise DecryptionError(
                "Stored data was encrypted with a key that is not in ASSISTANT_ENCRYPTION_KEYS."
            ) from error

    def encrypted_with_first_key(self, stored: str) -> bool:
        """Whether ``stored`` is a token the encrypting (first) key opens."""
        if self._encrypting is None or not is_token(stored):
            return False
        try:
            self._encrypting.decrypt(stored.encode("ascii"))
        except (InvalidToken, UnicodeError):
            return False
        return True

    def rotate(self, stored: str) -> str:
        """Return ``stored`` re-encrypted with the first key (plain text gets encrypted)."""
        if self._fernet is None:
            return stored
        if not is_token(stored):
            return self.encrypt(stored)
        try:
            return self._fernet.rotate(stored.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError) as error:
            raise DecryptionError("A stored value cannot be decrypted with any configured key.") from error


def is_token(stored: str) -> bool:
    """Whether a stored value is a Fernet token rather than plain text."""
    return stored.startswith(TOKEN_PREFIX)


def generate_key() -> str:
    """Return a new random Fernet key."""
    return Fernet.generate_key().decode("ascii")


def active_cipher() -> FieldCipher:
    """Return the cipher for the keys currently in ``ASSISTANT_ENCRYPTION_KEYS``."""
    return _cipher_for(settings.encryption_keys())


@lru_cache(maxsize=8)
def _cipher_for(keys: Tuple[str, ...]) -> FieldCipher:
    # Cached per key list, so the missing-key warning is logged once per process.
    cipher = FieldCipher(keys)
    if not cipher.enabled:
        logger.warning(
            "ASSISTANT_ENCRYPTION_KEYS is not set: conversations and health data are "
            "stored unencrypted. Set it in production."
        )
    return cipher
