"""Trends for owners: volume and sentiment over time, negative share, average rating, a weekday × hour
heatmap of incoming items, and each brand's reputation score with its formula and components."""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from dashboard import data, state
from dashboard.i18n import t
from dashboard.views import reports

TREND_BY = ("all", "brand", "platform", "intent")


def render() -> None:
    """The trends page."""
    st.title(t("trends.title"))
    scope = reports.filters()
    left, right = st.columns(2)
    bucket = left.segmented_control(t("trends.bucket"), ("day", "week"), default="day", key=state.TREND_BUCKET,
                                    format_func=lambda b: t(f"trends.{b}")) or "day"  # fmt: skip
    dimension = right.segmented_control(t("resp.by"), TREND_BY, default="all", key=state.TREND_BY,
                                        format_func=lambda d: t(f"dim.{d}")) or "all"  # fmt: skip
    rows = data.trend_rows(scope, bucket, dimension)
    _reputation(scope)
    _volume(rows)
    _shares(rows)
    columns = ("period", "group", "total", "positive", "neutral", "negative", "unscored", "negative_share",
               "average_rating")  # fmt: skip
    reports.table(rows, columns, "trends", labels={c: t(f"trends.col.{c}") for c in columns})
    _heatmap(scope)
    _why(scope, rows, bucket, dimension)


def _reputation(scope: Any) -> None:
    st.subheader(t("trends.reputation"))
    found = data.reputations(scope)
    for block, rep in zip(st.columns(max(1, len(found))), found, strict=False):
        score = "—" if rep["score"] is None else str(rep["score"])
        block.metric(rep["brand"], score, help=t(f"trends.band.{rep['band']}"))
        parts = [{"component": c["name"], "value": c["value"], "score": c["score"], "weight": c["weight"],
                  "explanation": c["explanation"]} for c in rep["components"]]  # fmt: skip
        with block.expander(t("trends.components")):
            st.dataframe(parts, hide_index=True, width="stretch")
    if found:
        st.caption(found[0]["formula"])


def _long(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        for key in ("positive", "neutral", "negative", "unscored"):
            out.append({"period": str(row["period"]), "group": row["group"], "sentiment": t(f"trends.col.{key}"),
                        "items": int(row[key] or 0)})  # fmt: skip
    return out


def _volume(rows: list[dict[str, Any]]) -> None:
    st.subheader(t("trends.volume"))
    if not rows:
        st.info(t("report.no_items"))
        return
    chart = (
        alt.Chart(alt.Data(values=_long(rows)))
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=t("trends.col.period")),
            y=alt.Y("sum(items):Q", title=t("resp.items")),
            color=alt.Color("sentiment:N", title=t("trends.sentiment"),
                            scale=alt.Scale(range=["#2e7d32", "#9e9e9e", "#c62828", "#e0e0e0"])),
            tooltip=["period:T", "group:N", "sentiment:N", "items:Q"],
        )
    )  # fmt: skip
    st.altair_chart(chart, width="stretch")


def _shares(rows: list[dict[str, Any]]) -> None:
    values = [{"period": str(r["period"]), "group": r["group"], "negative_share": r["negative_share"],
               "average_rating": r["average_rating"]} for r in rows]  # fmt: skip
    left, right = st.columns(2)
    for block, key in ((left, "negative_share"), (right, "average_rating")):
        with block:
            st.subheader(t(f"trends.col.{key}"))
            chart = (
                alt.Chart(alt.Data(values=[v for v in values if v[key] is not None]))
                .mark_line(point=True)
                .encode(x=alt.X("period:T", title=t("trends.col.period")),
                        y=alt.Y(f"{key}:Q", title=t(f"trends.col.{key}")), color=alt.Color("group:N", title=""))
            )  # fmt: skip
            st.altair_chart(chart, width="stretch")


def _heatmap(scope: Any) -> None:
    st.subheader(t("trends.heatmap"))
    days = [t(f"day.{d}") for d in range(7)]
    cells = [{**c, "day": days[c["weekday"]]} for c in data.heatmap(scope)]
    chart = (
        alt.Chart(alt.Data(values=cells))
        .mark_rect()
        .encode(x=alt.X("hour:O", title=t("trends.hour")), y=alt.Y("day:N", sort=days, title=""),
                color=alt.Color("count:Q", title=t("resp.items"), scale=alt.Scale(scheme="oranges")),
                tooltip=["day:N", "hour:O", "count:Q"])
    )  # fmt: skip
    st.altair_chart(chart, width="stretch")


def _why(scope: Any, rows: list[dict[str, Any]], bucket: str, dimension: str) -> None:
    st.subheader(t("resp.why"))
    points = sorted({(str(r["period"]), str(r["group"])) for r in rows}, reverse=True)
    if not points:
        return
    chosen = st.selectbox(
        t("trends.point"), points, key=state.TREND_POINT, format_func=lambda p: f"{p[0]} · {p[1]}"
    )
    period = next(r["period"] for r in rows if (str(r["period"]), str(r["group"])) == chosen)
    group = None if dimension == "all" else chosen[1]
    reports.item_table(data.trend_drill(scope, period, bucket, dimension, group), "why_trend")
