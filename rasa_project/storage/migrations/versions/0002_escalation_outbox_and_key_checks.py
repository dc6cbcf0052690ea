"""Turn escalations into a delivery outbox and audit record, and add the key checks.

``escalations`` gains the delivery state (attempts, next attempt, a claim with
its expiry) and ``erased_at``; ``conversation_id`` becomes nullable so that an
erased conversation leaves a de-identified audit record. Rows that existed
before are kept as they are: those never notified are delivered by the sender.
``assistant_key_checks`` holds the values that prove the configured keys at start.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the outbox columns and the key-check table."""
    with op.batch_alter_table("escalations") as batch:
        batch.alter_column("conversation_id", existing_type=sa.String(255), nullable=True)
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime))
        batch.add_column(sa.Column("claimed_by", sa.String(128)))
        batch.add_column(sa.Column("claimed_until", sa.DateTime))
        batch.add_column(sa.Column("erased_at", sa.DateTime))
        batch.create_index("ix_escalations_notified_at", ["notified_at"])

    op.create_table(
        "assistant_key_checks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    """Drop the key checks and the outbox columns; erased records get an empty conversation id."""
    op.drop_table("assistant_key_checks")
    op.execute("UPDATE escalations SET conversation_id = '' WHERE conversation_id IS NULL")
    with op.batch_alter_table("escalations") as batch:
        batch.drop_index("ix_escalations_notified_at")
        batch.drop_column("erased_at")
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
        batch.alter_column("conversation_id", existing_type=sa.String(255), nullable=False)
