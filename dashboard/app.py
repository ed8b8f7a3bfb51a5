"""The dashboard entry point: `streamlit run dashboard/app.py` (or `social-listen dashboard`).

Login first (users from the database, argon2 hashes); the pages exist only after login. The store comes
from $SOCIAL_LISTEN_CONFIG through dashboard/data.py, the only module that touches it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data, state
from dashboard.i18n import LANGUAGES, language, t
from dashboard.safe import md
from dashboard.views import faq, inbox, item, responsiveness, settings, trends


def main() -> None:
    """Log in, then run the page the user picked."""
    st.set_page_config(page_title="social-listen", page_icon=":material/forum:", layout="wide")
    problem = data.startup_problem()
    if problem:
        st.error(t("app.store_problem"))
        st.code(problem, language=None)
        st.stop()
    user = _refresh_user()
    if user is None:
        st.navigation([st.Page(_login, title=t("login.title"), url_path="login")], position="hidden").run()
        return
    pages = _pages(user)
    _sidebar(user)
    st.navigation(list(pages.values())).run()


def _refresh_user() -> dict[str, Any] | None:
    """Re-read the user on every run: a role change or a disabled account takes effect at once."""
    user = state.current_user()
    if user is None:
        return None
    fresh = data.fresh_user(int(user["id"]))
    if fresh is None:
        st.session_state.pop(state.USER, None)
        return None
    st.session_state[state.USER] = fresh
    return fresh


def _pages(user: dict[str, Any]) -> dict[str, st.Page]:
    pages = {
        "inbox": st.Page(
            inbox.render, title=t("nav.inbox"), icon=":material/inbox:", url_path="inbox", default=True
        ),
        "item": st.Page(item.render, title=t("nav.item"), icon=":material/chat:", url_path="item"),
        "responsiveness": st.Page(responsiveness.render, title=t("nav.responsiveness"), icon=":material/timer:",
                                  url_path="responsiveness"),
        "trends": st.Page(trends.render, title=t("nav.trends"), icon=":material/monitoring:", url_path="trends"),
        "faq": st.Page(faq.render, title=t("nav.faq"), icon=":material/quiz:", url_path="faq"),
    }  # fmt: skip
    if data.may(user, "manage"):
        pages["settings"] = st.Page(settings.render, title=t("nav.settings"), icon=":material/settings:",
                                    url_path="settings")  # fmt: skip
    st.session_state[state.PAGES] = pages
    return pages


def _login() -> None:
    st.title(t("login.title"))
    with st.form("sl_login"):
        st.text_input(t("login.name"), key=state.LOGIN_NAME)
        st.text_input(t("login.password"), type="password", key=state.LOGIN_PASSWORD)
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        user = data.authenticate(st.session_state[state.LOGIN_NAME], st.session_state[state.LOGIN_PASSWORD])
        if user is None:
            st.error(t("login.failed"))
            return
        st.session_state[state.USER] = user
        st.rerun()
    st.caption(t("login.help"))


def _sidebar(user: dict[str, Any]) -> None:
    with st.sidebar:
        st.caption(
            t("app.signed_in", name=md(user["display_name"] or user["name"]), role=t(f"role.{user['role']}"))
        )
        chosen = st.segmented_control(
            t("app.language"), LANGUAGES, default=language(), key="sl_language_picker", format_func=str.upper
        )
        if chosen and chosen != language():
            data.set_own_language(int(user["id"]), chosen)
            st.session_state[state.USER] = {**user, "language": chosen}
            st.rerun()
        st.button(t("app.logout"), on_click=_logout, icon=":material/logout:", key="sl_logout")


def _logout() -> None:
    user = state.current_user()
    if user:
        data.release_lock(int(user["id"]))
    st.session_state.clear()


main()
