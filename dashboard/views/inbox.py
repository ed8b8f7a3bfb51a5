"""The inbox: filters with counts in the sidebar, open items by priority and SLA, bulk actions on a selection.
The list is a fragment that refreshes itself, so new items appear without reloading the page."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

import streamlit as st

from dashboard import data, state
from dashboard.i18n import t
from dashboard.safe import md
from dashboard.views import widgets
from social_listen.errors import SocialListenError
from social_listen.inbox import FACETS, InboxFilter, InboxRow
from social_listen.inbox_actions import BULK_ACTIONS
from social_listen.model import ITEM_STATUSES
from social_listen.users import PermissionDenied

PER_PAGE = 25
REFRESH_SECONDS = float(os.environ.get("SOCIAL_LISTEN_REFRESH_SECONDS", "15"))
FILTER_ORDER = (
    "status",
    "sentiment",
    "language",
    "intent",
    "assignee",
    "platform",
    "source",
    "brand",
    "rating",
)
FILTER_SIGNATURE = "sl_inbox_filter_signature"
KEEP: Literal["session"] = "session"
# Offered even when nothing has them right now (closed items are not counted: that would read every row).
ALWAYS_OFFERED = {
    "status": ITEM_STATUSES,
    "sentiment": ("neg", "neu", "pos"),
}  # filters survive a visit to an item and back


def render() -> None:
    """The inbox page."""
    user = state.current_user()
    wanted = str(st.query_params.get("item", "") or "")
    if wanted.isdigit():  # a link to one item (…/?item=123) opens it
        state.go("item", item=wanted)
    st.title(t("inbox.title"))
    state.show_flash()
    st.session_state.setdefault(state.FILTER_PREFIX + "status", ["open"])
    inbox_filter = _filter_from_state()  # the widgets' values, kept in the session from the last run
    _reset_page_when_filter_changes(inbox_filter)
    # The list first, then the filters with their counts: on a big store counting takes longer than a page,
    # and the first rows should not wait for it.
    _inbox_list(inbox_filter, user)
    _sidebar_filters(inbox_filter, state.user_id())


# -- filters -------------------------------------------------------------------------------------


def _sidebar_filters(inbox_filter: InboxFilter, user_id: int) -> None:
    counts = data.facet_counts(inbox_filter, user_id)
    with st.sidebar:
        st.subheader(t("filter.title"))
        st.text_input(
            t("filter.search"), key=state.SEARCH, placeholder=t("filter.search_hint"), persist_state=KEEP
        )
        st.toggle(t("filter.fast_reply"), key=state.FAST_REPLY, help=t("filter.fast_reply_help"),
                  persist_state=KEEP)  # fmt: skip
        for facet in FILTER_ORDER:
            _facet_widget(facet, counts.get(facet, []))
        no_range: list[Any] = []  # an empty range: the filter starts off
        st.date_input(
            t("filter.dates"), value=no_range, key=state.DATES, format="YYYY-MM-DD", persist_state=KEEP
        )
        st.button(
            t("filter.clear"),
            on_click=_clear_filters,
            key="sl_clear_filters",
            icon=":material/filter_alt_off:",
        )


def _facet_widget(facet: str, values: list[Any]) -> None:
    """A multiselect with stable labels (Streamlit matches a choice by its label, so counts stay out of
    them) and the count of every value in a caption under it."""
    key = state.FILTER_PREFIX + facet
    counted = {v.value: v for v in values}
    options = sorted({*counted, *ALWAYS_OFFERED.get(facet, ()), *st.session_state.get(key, [])})
    names = {v: widgets.facet_label(facet, v, counted[v].label if v in counted else "") for v in options}
    st.multiselect(t(f"facet.{facet}"), options, key=key, format_func=widgets.labels(options, names.get),
                   placeholder=t("filter.any"), persist_state=KEEP)  # fmt: skip
    if values:
        st.caption(" · ".join(f"{md(names[v.value])} **{v.count}**" for v in values))


def _filter_from_state() -> InboxFilter:
    chosen = {f: tuple(str(v) for v in st.session_state.get(state.FILTER_PREFIX + f, [])) for f in FACETS}
    since, until = _date_range(st.session_state.get(state.DATES, ()))
    search = str(st.session_state.get(state.SEARCH, "") or "").strip()
    fast_reply = True if st.session_state.get(state.FAST_REPLY) else None
    return InboxFilter(**chosen, fast_reply=fast_reply, since=since, until=until, search=search)


def _date_range(picked: Any) -> tuple[datetime | None, datetime | None]:
    days = [d for d in (picked if isinstance(picked, (list, tuple)) else [picked]) if isinstance(d, date)]
    if not days:
        return None, None
    start = datetime.combine(days[0], time.min, tzinfo=UTC)
    end = datetime.combine(days[-1], time.min, tzinfo=UTC) + timedelta(days=1)
    return start, end


def _clear_filters() -> None:
    for facet in FACETS:
        st.session_state[state.FILTER_PREFIX + facet] = []
    st.session_state[state.FILTER_PREFIX + "status"] = ["open"]
    st.session_state[state.SEARCH] = ""
    st.session_state[state.FAST_REPLY] = False
    st.session_state[state.DATES] = ()


def _reset_page_when_filter_changes(inbox_filter: InboxFilter) -> None:
    signature = repr(inbox_filter)
    if st.session_state.get(FILTER_SIGNATURE) != signature:
        st.session_state[FILTER_SIGNATURE] = signature
        st.session_state[state.INBOX_PAGE] = 1


# -- the list ------------------------------------------------------------------------------------


@st.fragment(run_every=REFRESH_SECONDS)
def _inbox_list(inbox_filter: InboxFilter, user: dict[str, Any] | None) -> None:
    state.rerun_if_requested()
    user_id = state.user_id()
    page_number = int(st.session_state.get(state.INBOX_PAGE, 1))
    page = data.inbox_page(inbox_filter, user_id, page_number, PER_PAGE)
    summary = "inbox.summary_more" if page.more else "inbox.summary"
    st.caption(t(summary, total=page.total, page=page.page, pages=page.pages))
    selectable = data.may(user, "status") or data.may(user, "assign")
    if selectable:
        _bulk_bar(page.rows, user)
    if not page.rows:
        st.info(t("inbox.empty"))
        return
    locks = data.locks([r.id for r in page.rows], user_id)
    for row in page.rows:
        _item_card(row, locks.get(row.id, []), selectable)
    _pager(page.page, page.pages, page.more)


def _item_card(row: InboxRow, locks: list[Any], selectable: bool) -> None:
    with st.container(border=True, key=f"sl_card_{row.id}"):
        tick, body, action = st.columns([0.04, 0.84, 0.12], vertical_alignment="center")
        if selectable:
            tick.checkbox(
                t("inbox.select"), key=f"{state.SELECTED_PREFIX}{row.id}", label_visibility="collapsed"
            )
        with body:
            st.caption(_card_heading(row))
            st.text(row.text, wrap=True)  # untrusted: plain text, never markdown or HTML
            sla = widgets.sla_text(row.sla_due_at, row.status)
            extra = [(sla, widgets.sla_color(row.sla_due_at, row.status))] if sla else []
            widgets.badges(row, extra + widgets.lock_labels(locks))
        # A link, not a button: it works even while the list refreshes, and opens in a new tab on request.
        with action.container(key=f"sl_open_{row.id}"):
            st.page_link(state.page("item"), label=t("inbox.open"), icon=":material/open_in_new:",
                         query_params={"item": str(row.id)})  # fmt: skip


def _card_heading(row: InboxRow) -> str:
    stars = f" · {'★' * int(row.rating)}" if row.rating else ""
    return (
        f"**{md(row.author_name or t('item.anonymous'), 80)}** · {md(widgets.platform_name(row.platform))} · "
        f"{md(row.source)} · {md(widgets.ago(row.published_at))}{stars}"
    )


def _pager(page: int, pages: int, more: bool = False) -> None:
    if pages <= 1:
        return
    back, label, forward = st.columns([0.2, 0.6, 0.2], vertical_alignment="center")
    back.button(t("inbox.previous"), key="sl_prev", disabled=page <= 1, on_click=_turn, args=(page - 1,))
    label.caption(t("inbox.page", page=page) if more else t("inbox.page_of", page=page, pages=pages))
    forward.button(t("inbox.next"), key="sl_next", disabled=page >= pages, on_click=_turn, args=(page + 1,))


def _turn(page: int) -> None:
    st.session_state[state.INBOX_PAGE] = page
    state.clear_selection()


# -- bulk actions --------------------------------------------------------------------------------


def _bulk_bar(rows: list[InboxRow], user: dict[str, Any] | None) -> None:
    chosen = state.selected_ids()
    with st.container(horizontal=True, vertical_alignment="bottom", key="sl_bulk_bar"):
        st.button(t("bulk.select_page"), key="sl_select_page", on_click=_select, args=([r.id for r in rows],))
        action = st.selectbox(t("bulk.action"), BULK_ACTIONS, key=state.BULK_ACTION, width=220,
                              format_func=widgets.labels(BULK_ACTIONS, lambda a: t(f"bulk.{a}")))  # fmt: skip
        if action == "assign":
            agents = [u for u in data.user_rows() if u["active"] and u["role"] != "viewer"]
            names = {u["id"]: u["display_name"] for u in agents}
            st.selectbox(t("bulk.assignee"), list(names), key=state.BULK_ASSIGNEE, width=200,
                         format_func=widgets.labels(names, names.get))  # fmt: skip
        st.button(t("bulk.apply", n=len(chosen)), key="sl_bulk_apply", disabled=not chosen, type="primary",
                  on_click=_apply_bulk, args=(chosen, action))  # fmt: skip


def _select(item_ids: list[int]) -> None:
    for item_id in item_ids:
        st.session_state[f"{state.SELECTED_PREFIX}{item_id}"] = True


def _apply_bulk(item_ids: list[int], action: str) -> None:
    assignee = st.session_state.get(state.BULK_ASSIGNEE) if action == "assign" else None
    try:
        changed = data.bulk_action(state.user_id(), item_ids, action, assignee)
    except SocialListenError as exc:
        state.flash("error", t("error.permission") if isinstance(exc, PermissionDenied) else str(exc))
        state.request_full_rerun()
        return
    state.clear_selection()
    state.flash("success", t("bulk.done", n=changed))
    state.request_full_rerun()
