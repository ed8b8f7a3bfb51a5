"""The reply panel of the item view: the outbox rows (sent, failed, uncertain) with retry / resolve, and the
composer with saved replies and a preview. Channels without a reply API get "open on platform" and
"mark answered" instead. Viewers see the replies but no controls."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data, safe, state
from dashboard.i18n import t
from dashboard.safe import md
from dashboard.views import widgets
from social_listen.errors import SocialListenError
from social_listen.inbox_detail import ItemDetail
from social_listen.inbox_replies import REGISTERS, AlreadyAnswered, greeting_name, render_reply
from social_listen.users import PermissionDenied

STATUS_COLORS: dict[str, Any] = {
    "queued": "blue",
    "sending": "blue",
    "sent": "green",
    "failed": "red",
    "uncertain": "orange",
}


def render(detail: ItemDetail, user: dict[str, Any] | None) -> None:
    """Replies already written, then the way to answer (if the user may)."""
    _outbox(detail, user)
    item = detail.item
    st.markdown(f"**{t('reply.title')}**")
    if not data.may(user, "reply"):
        st.caption(t("reply.read_only"))
        return
    if not item["can_reply"] or not data.can_publish(item["platform"]):
        _manual_answer(item, user)
        return
    _composer(detail)


# -- replies already in the outbox ----------------------------------------------------------------


def _outbox(detail: ItemDetail, user: dict[str, Any] | None) -> None:
    for reply in detail.replies:
        with st.container(border=True, key=f"sl_reply_{reply['id']}"):
            with st.container(horizontal=True, vertical_alignment="center"):
                st.badge(
                    t(f"reply.status.{reply['status']}"), color=STATUS_COLORS.get(reply["status"], "gray")
                )
                st.caption(
                    f"{md(reply.get('user') or '')} · "
                    f"{md(widgets.stamp(reply['sent_at'] or reply['created_at']))}"
                )
                link = safe.url(reply.get("url"))
                if reply["status"] == "sent" and link:
                    st.link_button(t("reply.view"), link, type="tertiary", icon=":material/open_in_new:")
            st.text(reply["text"], wrap=True)
            if reply["status"] in ("failed", "uncertain"):
                _settle_controls(reply, user)


def _settle_controls(reply: dict[str, Any], user: dict[str, Any] | None) -> None:
    st.caption(t(f"reply.explain.{reply['status']}"))
    if reply.get("error"):
        st.text(str(reply["error"]))
    if not data.may(user, "reply"):
        return
    with st.container(horizontal=True):
        for outcome in ("retry", "sent", "cancel"):
            st.button(t(f"reply.settle.{outcome}"), key=f"sl_settle_{outcome}_{reply['id']}",
                      on_click=_settle, args=(reply["id"], outcome))  # fmt: skip


def _settle(reply_id: int, outcome: str) -> None:
    try:
        row = data.settle_reply(state.user_id(), reply_id, outcome)
    except SocialListenError as exc:
        _flash_error(exc)
        return
    state.flash("success" if row["status"] == "sent" else "info", t(f"reply.status.{row['status']}"))


# -- channels without a reply API -----------------------------------------------------------------


def _manual_answer(item: dict[str, Any], user: dict[str, Any] | None) -> None:
    st.info(t("reply.no_api", platform=md(widgets.platform_name(item["platform"]))))
    with st.container(horizontal=True):
        link = safe.url(item.get("url"))
        if link:
            st.link_button(t("item.open_platform"), link, icon=":material/open_in_new:")
        if item["status"] == "open" and data.may(user, "status"):
            st.button(t("reply.mark_answered"), key="sl_mark_answered", type="primary", icon=":material/done:",
                      on_click=_mark_answered, args=(item["id"],))  # fmt: skip


def _mark_answered(item_id: int) -> None:
    try:
        data.set_status(state.user_id(), [item_id], "answered")
    except SocialListenError as exc:
        _flash_error(exc)
        return
    state.flash("success", t("reply.marked_answered"))


# -- the composer -----------------------------------------------------------------------------------


def _composer(detail: ItemDetail) -> None:
    item = detail.item
    item_id = int(item["id"])
    text_key = f"{state.COMPOSER_PREFIX}{item_id}"
    register_key = f"{state.REGISTER_PREFIX}{item_id}"
    template_key = f"{state.TEMPLATE_PREFIX}{item_id}"
    st.session_state.setdefault(register_key, "tu")
    register = st.segmented_control(t("reply.register"), REGISTERS, key=register_key, required=True,
                                    format_func=widgets.labels(REGISTERS, lambda r: t(f"register.{r}")),
                                    on_change=_fill, args=(detail,))  # fmt: skip
    templates = data.saved_replies_for(item["brand_id"], item.get("language"), tuple(item["intents"]),
                                       item.get("rating"), register or "tu")  # fmt: skip
    titles = {tpl["id"]: tpl["title"] for tpl in templates}
    st.selectbox(t("reply.saved"), [None, *titles], key=template_key, on_change=_fill, args=(detail,),
                 format_func=widgets.labels([None, *titles], lambda i: titles.get(i) or t("reply.saved_none")))  # fmt: skip
    st.text_area(t("reply.text"), key=text_key, height=140, placeholder=t("reply.placeholder"))
    text = str(st.session_state.get(text_key, "") or "")
    if text.strip():
        st.caption(t("reply.preview"))
        with st.container(border=True, key="sl_reply_preview"):
            st.text(text.strip(), wrap=True)
    if item["status"] == "answered":
        st.warning(t("reply.already_answered"))
        st.checkbox(t("reply.send_anyway"), key=f"{state.CONFIRM_PREFIX}{item_id}")
    st.button(t("reply.send"), key="sl_send_reply", type="primary", icon=":material/send:",
              on_click=_send, args=(item_id,))  # fmt: skip


def _fill(detail: ItemDetail) -> None:
    """Put the chosen saved reply, rendered for this customer, into the composer."""
    item = detail.item
    item_id = int(item["id"])
    chosen = st.session_state.get(f"{state.TEMPLATE_PREFIX}{item_id}")
    if chosen is None:
        return
    register = st.session_state.get(f"{state.REGISTER_PREFIX}{item_id}") or "tu"
    templates = data.saved_replies_for(item["brand_id"], item.get("language"), tuple(item["intents"]),
                                       item.get("rating"), register)  # fmt: skip
    template = next((tpl["text"] for tpl in templates if tpl["id"] == chosen), None)
    if template is None:
        return
    name = greeting_name(item.get("author_name") or "")
    product = item.get("object_title") or ""
    st.session_state[f"{state.COMPOSER_PREFIX}{item_id}"] = render_reply(template, name, product, register)


def _send(item_id: int) -> None:
    text = str(st.session_state.get(f"{state.COMPOSER_PREFIX}{item_id}", "") or "")
    if not text.strip():
        state.flash("warning", t("reply.empty"))
        return
    confirmed = bool(st.session_state.get(f"{state.CONFIRM_PREFIX}{item_id}", False))
    try:
        row = data.send_reply(state.user_id(), item_id, text, allow_answered=confirmed)
    except AlreadyAnswered:
        state.flash("warning", t("reply.already_answered"))
        return
    except SocialListenError as exc:
        _flash_error(exc)
        return
    _after_send(item_id, row)


def _after_send(item_id: int, row: dict[str, Any]) -> None:
    status = row["status"]
    if status == "sent":
        st.session_state[f"{state.COMPOSER_PREFIX}{item_id}"] = ""
        st.session_state[f"{state.TEMPLATE_PREFIX}{item_id}"] = None
        state.flash("success", t("reply.sent"))
    elif status == "queued":
        state.flash("info", t("reply.queued", error=row.get("error") or ""))
    else:
        state.flash("error", t(f"reply.explain.{status}") + " " + str(row.get("error") or ""))


def _flash_error(exc: SocialListenError) -> None:
    state.flash("error", t("error.permission") if isinstance(exc, PermissionDenied) else str(exc))
