"""The app's entry: pages exist only after logging in with a user from the database; the UI speaks the
user's language; a role change or a disabled account takes effect on the next click."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import state
from social_listen.config import CONFIG_ENV
from social_listen.inbox_admin import update_user
from tests.dashboard.conftest import APP
from tests.dashboard.seed import PASSWORD, Seeded, write_config


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key=state.LOGIN_NAME).input(name)
    at.text_input(key=state.LOGIN_PASSWORD).input(password)
    next(b for b in at.button if b.label == "Entrar").click()
    return at.run()


def test_login_with_the_database_password_opens_the_inbox(open_app) -> None:
    at = log_in(open_app(), "beto", PASSWORD)
    assert not at.exception
    assert [title.value for title in at.title] == ["Bandeja de entrada"]
    assert at.session_state[state.USER]["name"] == "beto"
    assert "password_hash" not in at.session_state[state.USER]


def test_wrong_password_is_refused_and_nothing_else_shows(open_app) -> None:
    at = log_in(open_app(), "beto", "not-the-password")
    assert [e.value for e in at.error] == ["Usuario o contraseña incorrectos."]
    assert [title.value for title in at.title] == ["Entrar en social-listen"]
    assert not at.sidebar.multiselect and not at.text_area


def test_logged_out_visitor_only_gets_the_login_form(open_app) -> None:
    at = open_app()
    assert [title.value for title in at.title] == ["Entrar en social-listen"]
    assert not at.checkbox and not at.sidebar.multiselect


def test_ui_speaks_each_users_language(open_app) -> None:
    assert [title.value for title in open_app("vera").title] == ["Inbox"]
    assert [title.value for title in open_app("beto").title] == ["Bandeja de entrada"]


def test_user_without_a_language_gets_the_brands_first_language(open_app, seeded_app: Seeded) -> None:
    update_user(seeded_app.store.engine, seeded_app.users["ana"], seeded_app.users["vera"], language=None)
    assert [title.value for title in open_app("vera").title] == ["Bandeja de entrada"]


def test_switching_language_is_saved_for_the_user(open_app) -> None:
    at = open_app("beto")
    at.button_group(key="sl_language_picker").set_value("en").run()
    assert [title.value for title in at.title] == ["Inbox"]
    assert at.session_state[state.USER]["language"] == "en"


def test_disabled_user_is_logged_out_on_the_next_run(open_app, seeded_app: Seeded) -> None:
    at = open_app("beto")
    update_user(seeded_app.store.engine, seeded_app.users["ana"], seeded_app.users["beto"], active=False)
    at.run()
    assert [title.value for title in at.title] == ["Entrar en social-listen"]


def test_logout_forgets_the_user(open_app) -> None:
    at = open_app("beto")
    at.sidebar.button(key="sl_logout").click().run()
    assert state.USER not in at.session_state
    assert [title.value for title in at.title] == ["Entrar en social-listen"]


def test_uninitialised_database_shows_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(write_config(tmp_path / "c.toml", tmp_path / "empty.db")))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert at.error and "social-listen init" in at.code[0].value
    assert not at.text_input
