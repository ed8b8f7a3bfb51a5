"""The team panel of the item view: status, assignment, internal notes and triage corrections.
Controls appear only for roles that may use them; the core checks the role again on every action."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data, state
from dashboard.i18n import KNOWN_INTENTS, t
from dashboard.safe import md
from dashboard.views import widgets
from social_listen.errors import SocialListenError
from social_listen.inbox_actions import SENTIMENTS
from social_listen.inbox_detail import ItemDetail
from social_listen.users import PermissionDenied

OPEN_ACTIONS = (("answered", ":material/done:"), ("ignored", ":material/visibility_off:"),
                ("closed", ":material/archive:"))  # fmt: skip


def render(detail: ItemDetail, user: dict[str, Any] | None) -> None:
    """Status, assignment, notes, corrections."""
    item = detail.item
    if data.may(user, "status"):
        _status_buttons(item)
    if data.may(user, "assign"):
        _assignment(item)
    else:
        st.caption(t("item.assignee_line", name=md(item.get("assignee") or t("assignee.none"))))
    _notes(detail, data.may(user, "note"))
    if data.may(user, "correct"):
        _correction(item)


def _status_buttons(item: dict[str, Any]) -> None:
    item_id = int(item["id"])
    with st.container(horizontal=True, key="sl_status_actions"):
        if item["status"] == "open":
            for status, icon in OPEN_ACTIONS:
                st.button(t(f"action.{status}"), key=f"sl_status_{status}", icon=icon,
                          on_click=_act, args=(data.set_status, [item_id], status))  # fmt: skip
            st.button(t("action.spam"), key="sl_status_spam", icon=":material/report:",
                      on_click=_act, args=(data.bulk_action, [item_id], "spam"))  # fmt: skip
        else:
            st.button(t("action.reopen"), key="sl_status_reopen", icon=":material/undo:",
                      on_click=_act, args=(data.set_status, [item_id], "reopen"))  # fmt: skip


def _act(action: Any, item_ids: list[int], value: str) -> None:
    try:
        action(state.user_id(), item_ids, value)
    except SocialListenError as exc:
        _flash_error(exc)
        return
    state.flash("success", t("action.done"))


def _assignment(item: dict[str, Any]) -> None:
    item_id = int(item["id"])
    current = item.get("assignee_id")
    agents = {u["id"]: u["display_name"] for u in data.user_rows() if u["active"] and u["role"] != "viewer"}
    options = [None, *agents]
    key = f"sl_assign_{item_id}_{current}"
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(t("item.assignee"), options, index=options.index(current) if current in options else 0,
                     key=key, width=220, on_change=_assign_from, args=(item_id, key),
                     format_func=widgets.labels(options, lambda i: agents.get(i) or t("assignee.none")))  # fmt: skip
        if current != state.user_id():
            st.button(
                t("item.assign_me"), key="sl_assign_me", on_click=_assign, args=(item_id, state.user_id())
            )


def _assign_from(item_id: int, key: str) -> None:
    _assign(item_id, st.session_state.get(key))


def _assign(item_id: int, assignee: int | None) -> None:
    try:
        data.assign(state.user_id(), [item_id], assignee)
    except SocialListenError as exc:
        _flash_error(exc)
        return
    state.flash("success", t("item.assigned"))


def _notes(detail: ItemDetail, can_write: bool) -> None:
    st.markdown(f"**{t('item.notes')}**")
    for note in detail.notes:
        st.caption(f"{md(note.get('user') or '')} · {md(widgets.stamp(note['created_at']))}")
        st.text(note["text"], wrap=True)
    if not detail.notes:
        st.caption(t("item.notes_none"))
    if not can_write:
        return
    with st.form(key=f"sl_note_form_{detail.item['id']}", clear_on_submit=True, border=False):
        st.text_area(t("item.note_new"), key=f"{state.NOTE_PREFIX}{detail.item['id']}", height=80)
        if st.form_submit_button(t("item.note_add"), icon=":material/note_add:"):
            _add_note(int(detail.item["id"]))


def _add_note(item_id: int) -> None:
    text = str(st.session_state.get(f"{state.NOTE_PREFIX}{item_id}", "") or "")
    try:
        data.add_note(state.user_id(), item_id, text)
    except SocialListenError as exc:
        _flash_error(exc)
    else:
        state.flash("success", t("item.note_added"))
    st.rerun()


def _correction(item: dict[str, Any]) -> None:
    item_id = int(item["id"])
    intents = sorted(set(KNOWN_INTENTS) | set(item["intents"]))
    with st.expander(t("correct.title")), st.form(key=f"sl_correct_{item_id}", border=False):
        current = item.get("sentiment_label")
        st.selectbox(t("correct.sentiment"), SENTIMENTS, key=f"sl_correct_sentiment_{item_id}",
                     index=SENTIMENTS.index(current) if current in SENTIMENTS else None,
                     format_func=widgets.labels(SENTIMENTS, lambda s: t(f"sentiment.{s}")))  # fmt: skip
        st.multiselect(t("correct.intents"), intents, default=list(item["intents"]),
                       key=f"sl_correct_intents_{item_id}",
                       format_func=widgets.labels(intents, widgets.intent_label))  # fmt: skip
        if st.form_submit_button(t("correct.save")):
            _save_correction(item)


def _save_correction(item: dict[str, Any]) -> None:
    item_id = int(item["id"])
    sentiment = st.session_state.get(f"sl_correct_sentiment_{item_id}")
    intents = list(st.session_state.get(f"sl_correct_intents_{item_id}") or [])
    label = item.get("sentiment_label")
    # Saving the label it has still counts when the item is flagged past its label (a neutral "likely
    # complaint"): the person's word then clears the flag.
    unflag = widgets.likely_complaint(item.get("fast_reply"), label)
    changed_sentiment = sentiment if sentiment and (sentiment != label or unflag) else None
    changed_intents = intents if sorted(intents) != sorted(item["intents"]) else None
    try:
        data.correct(state.user_id(), item_id, changed_sentiment, changed_intents)
    except SocialListenError as exc:
        _flash_error(exc)
    else:
        state.flash("success", t("correct.saved"))
    st.rerun()


def _flash_error(exc: SocialListenError) -> None:
    state.flash("error", t("error.permission") if isinstance(exc, PermissionDenied) else str(exc))
