"""items.first_response_at: the brand's first human response, stored so responsiveness reads an index

The column starts empty; the next `social-listen init` or `collect` (Store.sync_config) fills it for each brand
with that brand's auto-reply markers. Until then the metrics compute it on the fly, as before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_items_first_response", ["first_response_at", "status", "is_own", "published_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_first_response")
        batch_op.drop_column("first_response_at")
