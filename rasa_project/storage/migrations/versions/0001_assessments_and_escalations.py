"""Create the assessments and escalations tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: Columns holding encrypted JSON (Fernet tokens, or plain JSON without a key).
ASSESSMENT_VALUE_COLUMNS = (
    "pain_duration",
    "pain_severity",
    "red_flag_screen",
    "daily_load",
    "foot_arch",
    "shoe_wear",
    "leg_length_difference",
    "gait_diagnosis",
    "insole_history",
    "triage_level",
    "recommendation",
    "red_flags",
)


def upgrade() -> None:
    """Create both tables and their indexes."""
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("channel", sa.String(64)),
        *(sa.Column(name, sa.Text) for name in ASSESSMENT_VALUE_COLUMNS),
    )
    op.create_index("ix_assessments_conversation_id", "assessments", ["conversation_id"])
    op.create_index("ix_assessments_created_at", "assessments", ["created_at"])

    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("channel", sa.String(64)),
        sa.Column("level", sa.Text, nullable=False),
        sa.Column("red_flags", sa.Text, nullable=False),
        sa.Column("notified_at", sa.DateTime),
    )
    op.create_index("ix_escalations_conversation_id", "escalations", ["conversation_id"])
    op.create_index("ix_escalations_created_at", "escalations", ["created_at"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("escalations")
    op.drop_table("assessments")
