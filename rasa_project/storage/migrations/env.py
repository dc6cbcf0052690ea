"""Alembic environment of the assistant's own tables.

Called with a connection in ``config.attributes["connection"]`` by
:func:`rasa_project.storage.database.migrate`, or stand-alone by the ``alembic``
command, which then connects to ``ASSISTANT_DATABASE_URL``.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any, Optional

import sqlalchemy as sa
from alembic import context

from rasa_project.storage import settings
from rasa_project.storage.models import VERSION_TABLE, Base

config = context.config
target_metadata = Base.metadata


def include_object(obj: Any, name: Optional[str], type_: str, reflected: bool, compare_to: Any) -> bool:
    """Let autogenerate see only this package's tables, never Rasa's ``events``."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_object=include_object,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=True,
        **kwargs,
    )


def run_offline() -> None:
    """Emit the migration SQL without a database (``alembic upgrade head --sql``)."""
    _configure(url=settings.database_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Apply migrations on the given connection, or on a new one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Stand-alone `alembic` command: its own logging and connection.
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    engine = sa.create_engine(settings.database_url())
    with engine.connect() as own_connection:
        _configure(connection=own_connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
