"""The schema, as SQLAlchemy Core tables; Alembic migrations in ``migrations/`` track every change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _created() -> Column[Any]:
    return Column("created_at", UTCDateTime, nullable=False, default=_now)


brands = Table(
    "brands",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("timezone", String(64), nullable=False, default="UTC"),
    Column("languages", JSON, nullable=False, default=list),
    Column("settings", JSON, nullable=False, default=dict),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("target", Text, nullable=False, default=""),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("cursor", JSON),
    Column("lease_owner", String(200)),
    Column("lease_expires_at", UTCDateTime),
    Column("paused_until", UTCDateTime),
    Column("paused_reason", Text),
    Column("last_run_at", UTCDateTime),
    Column("last_status", String(16)),
    Column("last_error", Text),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False, default="agent"),
    Column("brands", JSON, nullable=False, default=list),
    Column("language", String(8)),
    Column("active", Boolean, nullable=False, default=True),
    _created(),
)

authors = Table(
    "authors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("name", String(500), nullable=False, default=""),
    Column("handle", String(255), nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("follower_count", Integer),
    Column("tags", JSON, nullable=False, default=list),
    Column("notes", Text, nullable=False, default=""),
    UniqueConstraint("platform", "external_id"),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("source_id", ForeignKey("sources.id"), nullable=False),
    Column("brand_id", ForeignKey("brands.id"), nullable=False),
    Column("kind", String(16), nullable=False, default="comment"),
    Column("parent_external_id", String(255)),
    Column("thread_external_id", String(255)),
    Column("object_id", String(255)),
    Column("object_title", Text),
    Column("object_url", Text),
    Column("author_id", ForeignKey("authors.id")),
    Column("author_name", String(500), nullable=False, default=""),
    Column("is_own", Boolean, nullable=False, default=False),
    Column("text", Text, nullable=False, default=""),
    Column("language", String(8)),
    Column("rating", Float),
    Column("like_count", Integer),
    Column("url", Text),
    Column("can_reply", Boolean, nullable=False, default=True),
    Column("reply_deadline_at", UTCDateTime),
    Column("published_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Column("collected_at", UTCDateTime, nullable=False),
    Column("raw", JSON),
    Column("fetched_at", UTCDateTime),
    Column("fingerprint", String(40), nullable=False, default=""),
    Column("status", String(16), nullable=False, default="open"),
    Column("answered_at", UTCDateTime),
    Column("answered_by", String(16)),
    # The brand's first human response (not an auto-reply), kept by the store: see metrics_sql.
    Column("first_response_at", UTCDateTime),
    Column("assignee_id", ForeignKey("users.id")),
    Column("priority", Float, nullable=False, default=0.0),
    Column("priority_reasons", Text, nullable=False, default=""),
    Column("sentiment_label", String(8)),
    Column("sentiment_score", Float),
    # Answer fast: a negative label, or a neutral message that reads like a complaint (triage.fast_reply).
    Column("fast_reply", Boolean),
    Column("intents", Text, nullable=False, default=""),
    Column("tags", JSON, nullable=False, default=list),
    Column("triaged_at", UTCDateTime),
    Column("scored_with", String(100)),  # the scorer and version that triaged it: "hybrid-es/1.0.0+ba8d6f5b"
    UniqueConstraint("platform", "external_id"),
    Index("ix_items_inbox", "status", "priority"),
    Index("ix_items_brand_published", "brand_id", "published_at"),
    Index("ix_items_source_published", "source_id", "published_at"),
    Index("ix_items_parent", "platform", "parent_external_id"),
    Index("ix_items_thread", "platform", "thread_external_id"),
    Index("ix_items_author", "author_id"),
    Index("ix_items_triage", "triaged_at"),
    # Responses made in a period (a range on first_response_at) and the backlog (NULL, open/answered,
    # customer items, by age) both read this index alone.
    Index("ix_items_first_response", "first_response_at", "status", "is_own", "published_at"),
    # The inbox's filter counts: every facet of the open items, read from this index alone (inbox.FACET_INDEX).
    Index(
        "ix_items_facets",
        "status",
        "brand_id",
        "platform",
        "source_id",
        "language",
        "sentiment_label",
        "assignee_id",
        "rating",
        "intents",
        "is_own",
        "fast_reply",
    ),  # fmt: skip
)

replies = Table(
    "replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id")),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False, default="queued"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime),
    Column("platform_reply_id", String(255)),
    Column("url", Text),
    Column("error", Text),
    _created(),
    Column("updated_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Index("ix_replies_status", "status", "next_attempt_at"),
    Index("ix_replies_item", "item_id"),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("user_id", ForeignKey("users.id")),
    Column("text", Text, nullable=False),
    _created(),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False, default=_now),
    Column("user_id", ForeignKey("users.id")),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), index=True),
    Column("action", String(64), nullable=False),
    Column("detail", JSON),
)

saved_replies = Table(
    "saved_replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id")),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("language", String(8)),
    Column("intent", String(32)),
    Column("register", String(8)),
    Column("min_rating", Float),
    Column("max_rating", Float),
    _created(),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("user_id", ForeignKey("users.id")),
    Column("field", String(16), nullable=False),
    Column("value", String(64), nullable=False),
    _created(),
)

# A brand's own sentiment models, learned from its people's corrections by `triage learn`: numbered versions
# per brand, each kept with its cross-validation figures; at most one active per brand (the partial unique
# index), and none active means the packaged scorer. `languages` holds per-language specs in the format of
# the packaged model.json.gz's "languages" entries.
brand_models = Table(
    "brand_models",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    _created(),
    Column("active", Boolean, nullable=False, default=False),
    Column("languages", JSON, nullable=False, default=dict),
    Column("metrics", JSON, nullable=False, default=dict),
    Column("source", Text, nullable=False, default=""),
    UniqueConstraint("brand_id", "version"),
    Index(
        "ix_brand_models_one_active",
        "brand_id",
        unique=True,
        sqlite_where=text("active"),
        postgresql_where=text("active"),
    ),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False, index=True),
    Column("host", String(200), nullable=False, default=""),
    Column("started_at", UTCDateTime, nullable=False, default=_now),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False, default="running"),
    Column("new_count", Integer, nullable=False, default=0),
    Column("updated_count", Integer, nullable=False, default=0),
    Column("pages", Integer, nullable=False, default=0),
    Column("api_calls", Integer, nullable=False, default=0),
    Column("quota_units", Integer, nullable=False, default=0),
    Column("error", Text),
)

# Soft locks: "user X is viewing / drafting a reply to item Y", renewed while the page is open, expiring on
# their own. Nothing is blocked by them; they are shown to colleagues so two people do not answer one comment.
item_locks = Table(
    "item_locks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("activity", String(16), nullable=False, default="viewing"),
    Column("expires_at", UTCDateTime, nullable=False),
    UniqueConstraint("item_id", "user_id"),
    Index("ix_item_locks_expires_at", "expires_at"),
)

# Alerts are decided before they are sent: the row is written first, unique per (rule, subject, window_key), so
# a re-run, a crash or a second host never decides the same alert twice. Each channel's delivery has its own row,
# moving pending -> sending -> sent | failed (provably not delivered; retried) | uncertain (never re-sent).
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rule", String(32), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("window_key", String(64), nullable=False),
    Column("brand_id", ForeignKey("brands.id", ondelete="CASCADE")),
    Column("title", Text, nullable=False, default=""),
    Column("body", Text, nullable=False, default=""),
    Column("item_ids", JSON, nullable=False, default=list),
    Column("details", JSON),
    Column("decided_at", UTCDateTime, nullable=False, default=_now),
    UniqueConstraint("rule", "subject", "window_key"),
    Index("ix_alerts_rule_decided_at", "rule", "decided_at"),
)

alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime),
    Column("error", Text),
    Column("updated_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    UniqueConstraint("alert_id", "channel"),
    Index("ix_alert_deliveries_status", "status", "next_attempt_at"),
)
