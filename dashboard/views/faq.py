"""The FAQ miner for owners: questions customers ask again and again, per brand, with examples and the
brand's best-liked public answer — material for an FAQ page or a blog post."""

from __future__ import annotations

import streamlit as st

from dashboard import data, state
from dashboard.i18n import t
from dashboard.safe import md
from dashboard.views import reports


def render() -> None:
    """The FAQ page."""
    st.title(t("faq.title"))
    scope = reports.filters()
    min_count = st.slider(t("faq.min_count"), 2, 20, 2, key=state.FAQ_MIN)
    groups = data.faq_groups(scope, int(min_count))
    st.caption(t("faq.summary", groups=len(groups), questions=sum(g["count"] for g in groups)))
    for group in groups:
        title = t("faq.group", count=group["count"], label=md(group["label"]), brand=md(group["brand"]))
        with st.expander(title):
            for example in group["examples"][:3]:
                st.text(example.get("text", ""))
            answer = group.get("best_answer")
            if answer:
                st.caption(t("faq.best_answer", likes=answer.get("like_count") or 0))
                st.text(answer.get("text", ""))
            else:
                st.caption(t("faq.no_answer"))
            links = [f"[{t('inbox.open')} {int(i)}](item?item={int(i)})" for i in group["item_ids"][:10]]
            st.markdown(" · ".join(links))
    rows = [{"brand": g["brand"], "count": g["count"], "question": g["label"],
             "example": g["examples"][0].get("text", "") if g["examples"] else "",
             "best_answer": (g.get("best_answer") or {}).get("text", ""),
             "item_ids": " ".join(str(i) for i in g["item_ids"])} for g in groups]  # fmt: skip
    reports.table(rows, ("brand", "count", "question", "example", "best_answer", "item_ids"), "faq",
                  labels={c: t(f"faq.col.{c}") for c in ("brand", "count", "question", "example", "best_answer", "item_ids")})  # fmt: skip
