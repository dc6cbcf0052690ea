"""Conversation storage, health records, privacy controls and the escalation outbox.

Everything is configured from environment variables with safe defaults, so the
assistant runs on a laptop with no database service and in production on
PostgreSQL without secrets in the repository:

``ASSISTANT_DATABASE_URL``
    SQLAlchemy URL of the database holding the conversation tracker (Rasa's
    ``events`` table) and the project's records (``assessments``,
    ``escalations``, ``assistant_key_checks``). Default: a SQLite file
    ``var/assistant.db`` in the project, created on demand. Production:
    ``postgresql://USER:PASSWORD@HOST:5432/DB`` (``postgres://`` is accepted too).
    Rasa's ``SQL_TRACKER_STORE_SCHEMA`` (a PostgreSQL schema other than
    ``public``) applies to every table; ``SQL_POOL_SIZE`` and ``SQL_MAX_OVERFLOW``
    size the tracker store's pool.
``ASSISTANT_ENCRYPTION_KEYS``
    Comma-separated Fernet keys (``python -m rasa_project generate-key``). The
    first key encrypts, every key decrypts. Unset: data is stored as plain text
    and a warning is logged once when the store starts. A server refuses to start
    when these keys do not open the data already stored (:mod:`.key_check`).
``ASSISTANT_RETENTION_DAYS``
    Default age, in days since a conversation's last activity, after which
    ``python -m rasa_project purge`` erases it (default 90).
``ASSISTANT_HEALTH_DIR``
    Where each Rasa server process reports its storage health for
    ``python -m rasa_project check`` (default ``var/health`` in the project).

The escalation webhook's variables are described in :mod:`rasa_project.escalations`.

Key rotation: put a new key *first* in ``ASSISTANT_ENCRYPTION_KEYS`` and keep the
old ones after it, restart the servers (new data is encrypted with the new key,
old data still decrypts), run ``python -m rasa_project rotate-keys`` to re-encrypt
every stored value with the new key, then remove the old keys. A server started
without a key that stored data still needs refuses to start.
"""
