"""items.scored_with: the scorer and version that triaged the item ("hybrid-es/1.0.0+ba8d6f5b"), kept on the
item itself; the scores table, which only ever held that one record per item, is dropped. A new item is then
stored triaged in one row write instead of two (an item row and a scores row with its own indexes).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scored_with", sa.String(length=100), nullable=True))
    op.execute(
        "UPDATE items SET scored_with = (SELECT scores.version FROM scores"
        " WHERE scores.item_id = items.id AND scores.scorer = 'sentiment')"
    )
    op.drop_table("scores")


def downgrade() -> None:
    op.create_table(
        "scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("scorer", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_scores_item_id_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scores")),
        sa.UniqueConstraint("item_id", "scorer", name=op.f("uq_scores_item_id_scorer")),
    )
    op.execute(
        "INSERT INTO scores (item_id, scorer, version, label, value, created_at)"
        " SELECT id, 'sentiment', scored_with, sentiment_label, sentiment_score, triaged_at FROM items"
        " WHERE scored_with IS NOT NULL AND triaged_at IS NOT NULL"
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35, 0):
        with op.batch_alter_table("items", schema=None) as batch_op:  # no DROP COLUMN before 3.35
            batch_op.drop_column("scored_with")
    else:  # a batch rebuild of items would take the search index's triggers with the old table
        op.execute("ALTER TABLE items DROP COLUMN scored_with")
