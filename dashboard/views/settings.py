"""Settings for admins: users (add, role, language, active) and the saved replies agents pick from."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data, state
from dashboard.i18n import KNOWN_INTENTS, t
from dashboard.safe import md
from dashboard.views import widgets
from social_listen.errors import SocialListenError
from social_listen.inbox_admin import LANGUAGES
from social_listen.inbox_replies import REGISTERS
from social_listen.model import ROLES
from social_listen.users import PermissionDenied


def render() -> None:
    """The settings page (only reachable by admins; the core checks again on every change)."""
    st.title(t("settings.title"))
    state.show_flash()
    if not data.may(state.current_user(), "manage"):
        st.warning(t("error.permission"))
        return
    users_tab, replies_tab = st.tabs([t("settings.users"), t("settings.saved_replies")])
    with users_tab:
        _users()
    with replies_tab:
        _saved_replies()


# -- users ---------------------------------------------------------------------------------------


def _users() -> None:
    rows = data.user_rows()
    st.dataframe(
        [{t("settings.name"): u["name"], t("settings.display_name"): u["display_name"],
          t("settings.role"): t(f"role.{u['role']}"), t("settings.language"): u["language"] or "",
          t("settings.active"): bool(u["active"])} for u in rows],
        hide_index=True,
    )  # fmt: skip
    left, right = st.columns(2, gap="large")
    with left:
        _add_user_form()
    with right:
        _edit_user_form(rows)


def _add_user_form() -> None:
    with st.form("sl_add_user", clear_on_submit=True):
        st.markdown(f"**{t('settings.add_user')}**")
        name = st.text_input(t("settings.name"), key="sl_new_user_name")
        display = st.text_input(t("settings.display_name"), key="sl_new_user_display")
        password = st.text_input(t("settings.password"), type="password", key="sl_new_user_password")
        role = st.selectbox(t("settings.role"), ROLES, index=1, format_func=_role_labels())
        language = st.selectbox(t("settings.language"), LANGUAGES, key="sl_new_user_language")
        if st.form_submit_button(t("settings.add_user")):
            _run(lambda: data.create_user(state.user_id(), name, password, role, display_name=display,
                                          language=language), t("settings.user_added"))  # fmt: skip


def _edit_user_form(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    with st.form("sl_edit_user"):
        st.markdown(f"**{t('settings.edit_user')}**")
        names = {u["id"]: u["name"] for u in rows}
        chosen = st.selectbox(t("settings.name"), list(names), format_func=widgets.labels(names, names.get))
        role = st.selectbox(t("settings.role"), ROLES, format_func=_role_labels())
        language = st.selectbox(t("settings.language"), LANGUAGES)
        active = st.checkbox(t("settings.active"), value=True)
        if st.form_submit_button(t("settings.save")):
            _run(lambda: data.update_user(state.user_id(), chosen, role=role, language=language, active=active),
                 t("settings.user_saved"))  # fmt: skip


def _role_labels() -> Any:
    return widgets.labels(ROLES, lambda r: t(f"role.{r}"))


# -- saved replies -------------------------------------------------------------------------------


def _saved_replies() -> None:
    st.caption(t("settings.placeholders"))
    brands = {b["id"]: b["name"] for b in data.brand_rows()}
    for row in data.saved_reply_rows():
        with st.expander(md(row["title"], 100)):
            st.caption(_describe(row, brands))
            st.text(row["text"], wrap=True)
            st.button(t("settings.delete"), key=f"sl_delete_reply_{row['id']}", type="tertiary",
                      on_click=_delete_reply, args=(row["id"],))  # fmt: skip
    _saved_reply_form(brands)


def _describe(row: dict[str, Any], brands: dict[int, str]) -> str:
    parts = [
        md(brands.get(row["brand_id"], t("settings.all_brands"))),
        md(row["language"] or t("settings.any_language")),
        md(widgets.intent_label(row["intent"]) if row["intent"] else t("settings.any_intent")),
        md(t(f"register.{row['register']}") if row["register"] else t("settings.any_register")),
    ]
    if row["min_rating"] is not None or row["max_rating"] is not None:
        parts.append(md(f"★ {row['min_rating'] or 1:g}–{row['max_rating'] or 5:g}"))
    return " · ".join(parts)


def _saved_reply_form(brands: dict[int, str]) -> None:
    with st.form("sl_new_saved_reply", clear_on_submit=True):
        st.markdown(f"**{t('settings.add_reply')}**")
        values: dict[str, Any] = {
            "title": st.text_input(t("settings.reply_title"), key="sl_new_reply_title"),
            "text": st.text_area(t("settings.reply_text"), key="sl_new_reply_text"),
            "brand_id": _optional("brand", brands, lambda b: brands[b]),
            "language": _optional("language", LANGUAGES, str),
            "intent": _optional("intent", KNOWN_INTENTS, widgets.intent_label),
            "register": _optional("register", REGISTERS, lambda r: t(f"register.{r}")),
            "min_rating": st.number_input(t("settings.min_rating"), 1, 5, value=None, key="sl_new_reply_min"),
            "max_rating": st.number_input(t("settings.max_rating"), 1, 5, value=None, key="sl_new_reply_max"),
        }
        if st.form_submit_button(t("settings.add_reply")):
            _run(lambda: data.save_reply_template(state.user_id(), values), t("settings.reply_added"))


def _optional(field: str, choices: Any, describe: Any) -> Any:
    """A selectbox whose first choice, None, means 'any' (the saved reply fits every value)."""
    anything = t({"brand": "settings.all_brands"}.get(field, f"settings.any_{field}"))
    options = [None, *choices]
    label = widgets.labels(options, lambda v: anything if v is None else describe(v))
    return st.selectbox(t(f"settings.{field}"), options, key=f"sl_new_reply_{field}", format_func=label)


def _delete_reply(reply_id: int) -> None:
    try:
        data.delete_reply_template(state.user_id(), reply_id)
    except SocialListenError as exc:
        state.flash("error", t("error.permission") if isinstance(exc, PermissionDenied) else str(exc))
        return
    state.flash("success", t("settings.reply_deleted"))


def _run(action: Any, done: str) -> None:
    try:
        action()
    except SocialListenError as exc:
        state.flash("error", t("error.permission") if isinstance(exc, PermissionDenied) else str(exc))
    else:
        state.flash("success", done)
    st.rerun()
