"""What the three owner views share: the period and brand/platform filters, item tables with links to the
item view (texts are untrusted: st.dataframe shows them inert), and a CSV download under every table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, Literal

import streamlit as st

from dashboard import data, state
from dashboard.i18n import t
from dashboard.views.widgets import PLATFORM_NAMES

PERIODS = (7, 30, 90)
KEEP: Literal["session"] = "session"  # filters survive moving between the three views
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filters() -> Any:
    """The period, brand and platform filters (kept across the three views); returns the report scope."""
    user = state.current_user() or {}
    allowed = [str(b) for b in user.get("brands") or []] or [str(b["name"]) for b in data.brand_rows()]
    left, middle, right = st.columns(3)
    days = left.selectbox(t("report.period"), PERIODS, index=1, key=state.REPORT_DAYS, persist_state=KEEP,
                          format_func=lambda d: t("report.last_days", n=d))  # fmt: skip
    brands = middle.multiselect(
        t("report.brands"), allowed, key=state.REPORT_BRANDS, placeholder=t("report.all")
    )
    platforms = right.multiselect(t("report.platforms"), list(PLATFORM_NAMES), key=state.REPORT_PLATFORMS,
                                  format_func=lambda p: PLATFORM_NAMES.get(p, p), placeholder=t("report.all"), persist_state=KEEP)  # fmt: skip
    return data.report_scope(user, int(days), brands, platforms)


def csv_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    """The rows as CSV (UTF-8 with a BOM, so Excel opens accents right)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: _inert(value) for key, value in row.items()} for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _inert(value: Any) -> Any:
    """Customer text that starts like a spreadsheet formula gets a leading quote, so Excel shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], key: str, labels: dict[str, str] | None = None,
          config: dict[str, Any] | None = None) -> None:  # fmt: skip
    """A read-only table and its CSV download."""
    if not rows:
        st.info(t("report.no_items"))
        return
    shown = [{c: r.get(c) for c in columns} for r in rows]
    column_config = {c: (labels or {}).get(c, c) for c in columns} | (config or {})
    st.dataframe(shown, hide_index=True, width="stretch", column_config=column_config, key=f"{key}_table")
    st.download_button(t("report.download"), csv_bytes(rows, columns), file_name=f"{key}.csv", mime="text/csv",
                       key=f"{key}_csv", icon=":material/download:")  # fmt: skip


def item_table(
    rows: Sequence[dict[str, Any]], key: str, extra: Sequence[str] = (), total: int | None = None
) -> None:
    """The items behind a number (the first ``len(rows)`` of ``total``), each linked to the item view."""
    linked = [{**r, "link": f"item?item={int(r['id'])}"} for r in rows]
    columns = ["link", "brand", "platform", "published_at", *extra, "text"]
    config = {
        "link": st.column_config.LinkColumn(t("report.open"), display_text=t("inbox.open")),
        "text": st.column_config.TextColumn(t("report.text"), width="large"),
        "published_at": st.column_config.DatetimeColumn(t("report.published")),
    }
    total = len(rows) if total is None else total
    st.caption(
        t("report.items_behind", n=total)
        + ("" if total == len(rows) else " " + t("report.first_shown", n=len(rows)))
    )
    table(linked, columns, key, config=config)
