"""items.fast_reply: the triage's answer-fast flag, kept beside the sentiment label because the two can differ
(an English complaint in flat words is labelled neutral for the trends but flagged for a fast reply). Items
triaged before the flag existed get their label's answer (negative = flagged) until `triage rescore`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:30:00
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fast_reply", sa.Boolean(), nullable=True))
    op.execute("UPDATE items SET fast_reply = (sentiment_label = 'neg') WHERE sentiment_label IS NOT NULL")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35, 0):
        with op.batch_alter_table("items", schema=None) as batch_op:  # no DROP COLUMN before 3.35
            batch_op.drop_column("fast_reply")
    else:  # a batch rebuild of items would take the search index's triggers with the old table
        op.execute("ALTER TABLE items DROP COLUMN fast_reply")
