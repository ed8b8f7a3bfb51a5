"""Every session-state key the dashboard uses, in one place, with the few helpers that read them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.safe import md

USER = "sl_user"  # the logged-in user's row (no password hash)
PAGES = "sl_pages"  # name -> st.Page, rebuilt on every run, for st.switch_page
ITEM_ID = "sl_item_id"  # the item open in the item view
INBOX_PAGE = "sl_inbox_page"  # page number of the inbox list
SELECTED_PREFIX = "sl_pick_"  # + item id: the item's bulk-selection checkbox
FILTER_PREFIX = "sl_filter_"  # + facet name: the inbox filter widgets
SEARCH = "sl_filter_search"
DATES = "sl_filter_dates"
FAST_REPLY = "sl_filter_fast_reply"
BULK_ACTION = "sl_bulk_action"
BULK_ASSIGNEE = "sl_bulk_assignee"
FLASH = "sl_flash"  # (kind, message) shown once after an action
RERUN_APP = "sl_rerun_app"  # a callback inside a fragment asks for a full rerun (counts, flash)
COMPOSER_PREFIX = "sl_composer_"  # + item id: the reply being written
TEMPLATE_PREFIX = "sl_template_"  # + item id: the saved reply picked
REGISTER_PREFIX = "sl_register_"  # + item id: tú / usted / vos
CONFIRM_PREFIX = "sl_confirm_"  # + item id: "send another reply anyway"
NOTE_PREFIX = "sl_note_"  # + item id: the note being written
LOGIN_NAME = "sl_login_name"
# the owner views (responsiveness, trends, FAQ): filters shared between them
REPORT_DAYS = "sl_report_days"
REPORT_BRANDS = "sl_report_brands"
REPORT_PLATFORMS = "sl_report_platforms"
REPORT_DIMENSION = "sl_report_dimension"
REPORT_DRILL = "sl_report_drill"
REPORT_GROUP = "sl_report_group"
TREND_BUCKET = "sl_trend_bucket"
TREND_BY = "sl_trend_by"
TREND_POINT = "sl_trend_point"
FAQ_MIN = "sl_faq_min"
LOGIN_PASSWORD = "sl_login_password"  # noqa: S105 - a widget key, not a password


def current_user() -> dict[str, Any] | None:
    """The logged-in user, or None."""
    user: dict[str, Any] | None = st.session_state.get(USER)
    return user


def user_id() -> int:
    """The logged-in user's id (the views only run after login)."""
    user = current_user()
    assert user is not None, "views run only after login"
    return int(user["id"])


def flash(kind: str, message: str) -> None:
    """Show ``message`` once, on the next run (kind: success, info, warning, error)."""
    st.session_state[FLASH] = (kind, message)


def show_flash() -> None:
    """Show and forget the pending flash message (unless a full rerun is about to happen)."""
    if st.session_state.get(RERUN_APP):
        return
    pending = st.session_state.pop(FLASH, None)
    if pending:
        kind, message = pending
        getattr(st, kind)(md(message))  # messages may quote a platform's error: shown as text


def request_full_rerun() -> None:
    """From a callback inside a fragment: rerun the whole page next (filters' counts change too)."""
    st.session_state[RERUN_APP] = True


def rerun_if_requested() -> None:
    """At the top of a fragment: honour a pending full-rerun request."""
    if st.session_state.pop(RERUN_APP, False):
        st.rerun(scope="app")


def page(name: str) -> Any:
    """One of the app's pages (names: inbox, item, settings), for links."""
    return st.session_state[PAGES][name]


def go(name: str, **query: str) -> None:
    """Switch to one of the app's pages."""
    st.switch_page(page(name), query_params=query or None)


def selected_ids() -> list[int]:
    """Items ticked for a bulk action."""
    return sorted(
        int(str(key).removeprefix(SELECTED_PREFIX))
        for key, value in st.session_state.items()
        if str(key).startswith(SELECTED_PREFIX) and value
    )


def clear_selection() -> None:
    """Untick every item."""
    for key in [k for k in st.session_state if str(k).startswith(SELECTED_PREFIX)]:
        del st.session_state[key]
