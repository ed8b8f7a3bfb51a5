"""Responsiveness for owners: first response times in calendar and business time, response rates in both
conventions (labelled), the share within the SLA, the backlog by age and SLA state, and "why this number"."""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from dashboard import data, state
from dashboard.i18n import t
from dashboard.views import reports
from social_listen.metrics import AGE_BUCKETS
from social_listen.metrics_sql import DIMENSIONS
from social_listen.sla import format_duration

DURATIONS = ("median", "p90", "mean", "median_business", "p90_business")
RATES = ("response_rate", "activity_rate", "within_sla")
DRILLS = ("unanswered", "answered", "sla_missed", "backlog")


def render() -> None:
    """The responsiveness page."""
    st.title(t("resp.title"))
    scope = reports.filters()
    dimension = st.segmented_control(t("resp.by"), DIMENSIONS, default="brand", key=state.REPORT_DIMENSION,
                                     format_func=lambda d: t(f"dim.{d}"), persist_state=reports.KEEP) or "brand"  # fmt: skip
    rows, columns = data.responsiveness(scope, dimension)
    _summary(data.responsiveness(scope, "all")[0])  # one row: an item with two intents counts once
    shown = [_readable(r) for r in rows]
    reports.table(shown, columns, "responsiveness", labels={c: t(f"resp.col.{c}") for c in columns})
    st.caption(t("resp.cohort_note"))
    st.caption(t("resp.activity_note"))
    st.caption(t("resp.business_note"))
    _backlog(scope)
    _why(scope, dimension, [str(r["group"]) for r in rows])


def _summary(rows: list[dict[str, Any]]) -> None:
    received = sum(int(r.get("received") or 0) for r in rows)
    answered = sum(int(r.get("answered") or 0) for r in rows)
    waiting = sum(int(r.get("waiting") or 0) for r in rows)
    breached = sum(int(r.get("breached") or 0) for r in rows)
    a, b, c, d = st.columns(4)
    a.metric(t("resp.received"), f"{received:,}")
    b.metric(t("resp.col.response_rate"), f"{100 * answered / received:.0f} %" if received else "—")
    c.metric(t("resp.col.waiting"), f"{waiting:,}")
    d.metric(t("resp.col.breached"), f"{breached:,}")


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in DURATIONS:
        out[key] = format_duration(float(row[key])) if row.get(key) is not None else ""
    for key in RATES:
        out[key] = f"{100 * float(row[key]):.1f} %" if row.get(key) is not None else ""
    return out


def _backlog(scope: Any) -> None:
    st.subheader(t("resp.backlog"))
    rows = data.backlog_by_age(scope)
    ages = [label for label, _ in AGE_BUCKETS]
    counts = [{"age": age, "items": sum(int(r["count"]) for r in rows if r["bucket"] == age)} for age in ages]
    chart = (
        alt.Chart(alt.Data(values=counts))
        .mark_bar()
        .encode(x=alt.X("age:N", sort=ages, title=t("resp.age")), y=alt.Y("items:Q", title=t("resp.items")))
    )
    st.altair_chart(chart, width="stretch")
    reports.table(
        counts, ("age", "items"), "backlog_by_age", labels={"age": t("resp.age"), "items": t("resp.items")}
    )


def _why(scope: Any, dimension: str, groups: list[str]) -> None:
    st.subheader(t("resp.why"))
    left, right = st.columns(2)
    kind = left.selectbox(
        t("resp.which"), DRILLS, key=state.REPORT_DRILL, format_func=lambda k: t(f"resp.drill.{k}")
    )
    group = (
        right.selectbox(t("resp.group"), groups, key=state.REPORT_GROUP)
        if dimension != "all" and groups
        else None
    )
    rows, total = data.drill_down(kind, scope, dimension, group)
    extra = ["seconds"] if kind == "answered" else ["bucket"] if kind == "backlog" else []
    if kind == "answered":
        rows = [
            {**r, "seconds": format_duration(float(r["seconds"])) if r.get("seconds") is not None else ""}
            for r in rows
        ]
    reports.item_table(rows, f"why_{kind}", extra, total)
