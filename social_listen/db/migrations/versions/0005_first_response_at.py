"""items.first_response_at: the brand's first human response, stored so responsiveness reads an index;
ix_items_facets, so the inbox's filter counts read an index instead of every open row; and a text index for
the inbox search (SQLite: an FTS5 trigram table kept by triggers; PostgreSQL: pg_trgm GIN indexes)

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
    _forget_stored_rules()  # the column starts empty: the next sync_config fills it for every brand
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_items_first_response", ["first_response_at", "status", "is_own", "published_at"], unique=False
        )
        batch_op.create_index(
            "ix_items_facets",
            ["status", "brand_id", "platform", "source_id", "language", "sentiment_label", "assignee_id", "rating",
             "intents", "is_own"],
            unique=False,
        )  # fmt: skip
    _search_index()


SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE items_search USING fts5(text, author_name, content='items', content_rowid='id', "
    "tokenize='trigram')",
    "INSERT INTO items_search(items_search) VALUES ('rebuild')",
    "CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN "
    "INSERT INTO items_search(rowid, text, author_name) VALUES (new.id, new.text, new.author_name); END",
    "CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN "
    "INSERT INTO items_search(items_search, rowid, text, author_name) "
    "VALUES ('delete', old.id, old.text, old.author_name); END",
    "CREATE TRIGGER items_search_update AFTER UPDATE OF text, author_name ON items BEGIN "
    "INSERT INTO items_search(items_search, rowid, text, author_name) "
    "VALUES ('delete', old.id, old.text, old.author_name); "
    "INSERT INTO items_search(rowid, text, author_name) VALUES (new.id, new.text, new.author_name); END",
)
POSTGRES_SEARCH = (
    "CREATE INDEX ix_items_text_trgm ON items USING gin (text gin_trgm_ops)",
    "CREATE INDEX ix_items_author_trgm ON items USING gin (author_name gin_trgm_ops)",
)


def _search_index() -> None:
    """The text index, where the database can have one (search still works without it, by scanning)."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        found = str(bind.exec_driver_sql("SELECT sqlite_version()").scalar())
        version = tuple(int(part) for part in found.split("."))
        if version < (3, 34, 0):  # the trigram tokenizer
            return
        try:  # an SQLite built without FTS5 has no text index; search then scans
            op.execute(SQLITE_SEARCH[0])
        except sa.exc.OperationalError:
            return
        for statement in SQLITE_SEARCH[1:]:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        try:  # a trusted extension: the database owner may create it; a locked-down server may refuse
            with bind.begin_nested():
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            return
        for statement in POSTGRES_SEARCH:
            op.execute(statement)


def _forget_stored_rules() -> None:
    """The brands' record of which markers first_response_at was computed with goes with the column."""
    bind = op.get_bind()
    brands = sa.table("brands", sa.column("id", sa.Integer), sa.column("settings", sa.JSON))
    for brand_id, settings in bind.execute(sa.select(brands.c.id, brands.c.settings)).all():
        if isinstance(settings, dict) and "auto_reply_markers" in settings:
            kept = {k: v for k, v in settings.items() if k != "auto_reply_markers"}
            bind.execute(brands.update().where(brands.c.id == brand_id).values(settings=kept))


def downgrade() -> None:
    _forget_stored_rules()
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("items_search_insert", "items_search_delete", "items_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS items_search")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_items_text_trgm")
        op.execute("DROP INDEX IF EXISTS ix_items_author_trgm")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_facets")
        batch_op.drop_index("ix_items_first_response")
        batch_op.drop_column("first_response_at")
