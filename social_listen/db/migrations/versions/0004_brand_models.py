"""brand_models: a brand's learned sentiment models, numbered per brand, at most one active

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brand_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_brand_models_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brand_models")),
        sa.UniqueConstraint("brand_id", "version", name=op.f("uq_brand_models_brand_id_version")),
    )
    with op.batch_alter_table("brand_models", schema=None) as batch_op:
        batch_op.create_index(
            "ix_brand_models_one_active",
            ["brand_id"],
            unique=True,
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        )


def downgrade() -> None:
    with op.batch_alter_table("brand_models", schema=None) as batch_op:
        batch_op.drop_index("ix_brand_models_one_active")
    op.drop_table("brand_models")
