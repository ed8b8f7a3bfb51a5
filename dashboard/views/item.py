"""The item view: the comment (escaped), its thread with the brand's replies highlighted, triage with its
reasons, the SLA clock and reply window, the author across channels, the history; reply and team panels."""

from __future__ import annotations

import contextlib
from typing import Any

import streamlit as st

from dashboard import data, safe, state
from dashboard.i18n import reasons, t
from dashboard.safe import md
from dashboard.views import item_reply, item_team, widgets
from social_listen.errors import SocialListenError
from social_listen.inbox_detail import ItemDetail

LOCK_RENEW_SECONDS = 60  # the lock lasts two minutes; renewing every minute keeps it while the page is open


def render() -> None:
    """The item page."""
    user = state.current_user()
    item_id = _current_item_id()
    if st.button(t("item.back"), icon=":material/arrow_back:", key="sl_back"):
        if item_id is not None:
            data.release_lock(state.user_id(), item_id)
        state.go("inbox")
    if item_id is None:
        st.info(t("item.none"))
        return
    try:
        detail = data.item_detail(item_id, state.user_id())
    except SocialListenError:
        st.warning(t("item.missing"))
        return
    state.show_flash()
    _header(detail)
    _presence(item_id, user)
    _body(detail, user)


def _current_item_id() -> int | None:
    """The item in the URL (…/item?item=123), else the one last opened in this session."""
    wanted = str(st.query_params.get("item", "") or "")
    if wanted.isdigit():
        st.session_state[state.ITEM_ID] = int(wanted)
    found = st.session_state.get(state.ITEM_ID)
    if found is not None and wanted != str(found):
        st.query_params["item"] = str(found)
    return int(found) if found is not None else None


def _body(detail: ItemDetail, user: dict[str, Any] | None) -> None:
    main, side = st.columns([3, 2], gap="large")
    with main:
        _message(detail.item)
        _thread(detail)
        item_reply.render(detail, user)
    with side:
        _triage(detail.item)
        item_team.render(detail, user)
        _author(detail)
        _history(detail)
        _events(detail)


def _header(detail: ItemDetail) -> None:
    item = detail.item
    st.subheader(md(item["author_name"] or t("item.anonymous"), 120))
    with st.container(horizontal=True, vertical_alignment="center"):
        if detail.vip:
            st.badge("VIP", icon=":material/star:", color="yellow")
        st.caption(
            f"{md(widgets.platform_name(item['platform']))} · {md(item['source'])} · {md(item['brand'])} · "
            f"{md(widgets.stamp(item['published_at']))} ({md(widgets.ago(item['published_at']))})"
        )
        link = safe.url(item["url"])
        if link:
            st.link_button(t("item.open_platform"), link, icon=":material/open_in_new:")


@st.fragment(run_every=LOCK_RENEW_SECONDS)
def _presence(item_id: int, user: dict[str, Any] | None) -> None:
    """Renew this user's soft lock and show colleagues who have the item open."""
    user_id = state.user_id()
    drafting = data.may(user, "reply") and bool(
        str(st.session_state.get(f"{state.COMPOSER_PREFIX}{item_id}", "")).strip()
    )
    with contextlib.suppress(SocialListenError):  # a lock is a courtesy: never break the page for it
        data.touch_lock(user_id, item_id, "drafting" if drafting else "viewing")
    for lock in data.locks([item_id], user_id).get(item_id, []):
        st.warning(t(f"lock.{lock.activity}_long", name=md(lock.user)), icon=":material/group:")


def _message(item: dict[str, Any]) -> None:
    with st.container(border=True, key="sl_item_text"):
        st.text(item["text"], wrap=True)  # untrusted: plain text only
        if item.get("rating"):
            st.caption("★" * int(item["rating"]) + "☆" * max(0, 5 - int(item["rating"])))
    if item.get("object_title") or item.get("object_url"):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(
                t("item.on_object", title=md(item.get("object_title") or item.get("object_id") or "", 120))
            )
            link = safe.url(item.get("object_url"))
            if link:
                st.link_button(t("item.open_object"), link, icon=":material/link:", type="tertiary")


def _thread(detail: ItemDetail) -> None:
    others = [entry for entry in detail.thread if not entry["current"]]
    if not others:
        return
    st.markdown(f"**{t('item.thread')}**")
    for entry in detail.thread:
        own = bool(entry["is_own"])
        with st.container(border=True, key=f"sl_thread_{'own' if own else 'post'}_{entry['id']}"):
            author = md(entry["author_name"] or t("item.anonymous"), 80)
            heading = f"**{author}** · {md(widgets.ago(entry['published_at']))}"
            if own:
                st.badge(t("item.brand_reply"), icon=":material/verified:", color="green")
            elif entry["current"]:
                st.badge(t("item.this_item"), color="blue")
            st.caption(heading)
            st.text(entry["text"], wrap=True)


def _triage(item: dict[str, Any]) -> None:
    st.markdown(f"**{t('item.triage')}**")
    label = item.get("sentiment_label")
    with st.container(horizontal=True):
        if label:
            score = item.get("sentiment_score")
            text = t(f"sentiment.{label}") + (f" ({score:+.2f})" if score is not None else "")
            st.badge(md(text), color=widgets.SENTIMENT_COLORS.get(label, "gray"))
        if widgets.likely_complaint(item.get("fast_reply"), label):
            widgets.likely_complaint_badge()
        for intent in item["intents"]:
            st.badge(md(widgets.intent_label(intent)), color="violet")
        st.badge(t("item.priority", value=widgets.number(item["priority"])), color="primary")
    if item.get("priority_reasons"):
        st.caption(t("item.reasons", reasons=md(reasons(item["priority_reasons"]), 300)))
    _clock(item)


def _clock(item: dict[str, Any]) -> None:
    status = item["status"]
    if status == "open":
        color = widgets.sla_color(item["sla_due_at"], status)
        st.badge(md(widgets.sla_text(item["sla_due_at"], status)), icon=":material/timer:", color=color)
        st.caption(t("sla.due", at=md(widgets.stamp(item["sla_due_at"]))))
    else:
        st.caption(t("item.status_line", status=md(t(f"status.{status}"))) + _answered_line(item))
    window = widgets.window_text(item.get("reply_deadline_at"))
    if window:
        st.caption(md(window))


def _answered_line(item: dict[str, Any]) -> str:
    if item["status"] != "answered" or not item.get("answered_at"):
        return ""
    by = t(f"answered_by.{item.get('answered_by') or 'tool'}")
    return " · " + t("item.answered_line", at=md(widgets.stamp(item["answered_at"])), by=md(by))


def _author(detail: ItemDetail) -> None:
    author = detail.author
    if not author:
        return
    with st.expander(t("item.author"), expanded=False):
        st.caption(f"**{md(author['name'], 120)}** {md('@' + author['handle']) if author['handle'] else ''}")
        if author.get("follower_count") is not None:
            st.caption(t("item.followers", n=author["follower_count"]))
        if author.get("tags"):
            st.caption(t("item.tags", tags=md(", ".join(str(x) for x in author["tags"]))))
        if author.get("notes"):
            st.text(author["notes"])
        link = safe.url(author.get("url"))
        if link:
            st.link_button(t("item.author_profile"), link, type="tertiary")


def _history(detail: ItemDetail) -> None:
    with st.expander(t("item.history", n=len(detail.history)), expanded=bool(detail.history)):
        if not detail.history:
            st.caption(t("item.history_none"))
        for other in detail.history:
            status = t(f"status.{other['status']}")
            st.caption(f"{md(widgets.platform_name(other['platform']))} · {md(other['source'])} · "
                       f"{md(widgets.ago(other['published_at']))} · {md(status)}")  # fmt: skip
            st.text(safe_excerpt(other["text"]), wrap=True)


def safe_excerpt(text: str, limit: int = 240) -> str:
    """A shortened text for lists (still shown with st.text)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _events(detail: ItemDetail) -> None:
    with st.expander(t("item.events"), expanded=False):
        if not detail.events:
            st.caption(t("item.events_none"))
        for event in detail.events:
            action = t(f"event.{event['action']}")
            who = event.get("user") or t("item.system")
            st.caption(f"{md(widgets.stamp(event['at']))} · {md(who)} · {md(action)}")
