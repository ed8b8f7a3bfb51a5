"""item locks: who is viewing or drafting a reply to an item (soft, expiring)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_locks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_locks_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_item_locks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_locks")),
        sa.UniqueConstraint("item_id", "user_id", name=op.f("uq_item_locks_item_id_user_id")),
    )
    with op.batch_alter_table("item_locks", schema=None) as batch_op:
        batch_op.create_index("ix_item_locks_expires_at", ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item_locks", schema=None) as batch_op:
        batch_op.drop_index("ix_item_locks_expires_at")
    op.drop_table("item_locks")
