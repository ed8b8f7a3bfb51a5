"""The settings view: only admins get it; they add users and saved replies; agents' forged changes fail."""

from __future__ import annotations

from sqlalchemy import select

from dashboard import state
from social_listen.db.tables import saved_replies
from social_listen.users import authenticate
from tests.dashboard.seed import Seeded


def submit(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_only_admins_have_a_settings_page(open_app) -> None:
    assert "settings" in open_app("ana").session_state[state.PAGES]
    assert "settings" not in open_app("beto").session_state[state.PAGES]
    assert "settings" not in open_app("vera").session_state[state.PAGES]


def test_admin_adds_a_user_who_can_then_log_in(settings_app, seeded_app: Seeded) -> None:
    at = settings_app("ana")
    at.text_input(key="sl_new_user_name").input("carla")
    at.text_input(key="sl_new_user_display").input("Carla")
    at.text_input(key="sl_new_user_password").input("carla-secret-9")
    at = submit(at, "Añadir usuario")
    assert not at.exception and "Usuario añadido" in at.success[0].value
    user = authenticate(seeded_app.store.engine, "carla", "carla-secret-9")
    assert user is not None and user["role"] == "agent"


def test_short_password_is_refused_with_the_reason(settings_app) -> None:
    at = settings_app("ana")
    at.text_input(key="sl_new_user_name").input("dani")
    at.text_input(key="sl_new_user_password").input("short")
    at = submit(at, "Añadir usuario")
    assert "8 characters" in at.error[0].value


def test_admin_adds_a_saved_reply_and_deletes_it(settings_app, seeded_app: Seeded) -> None:
    at = settings_app("ana")
    at.text_input(key="sl_new_reply_title").input("Cambio de talla")
    at.text_area(key="sl_new_reply_text").input("Hola {name}, {cámbiala|cámbiela|cambiala} en tienda.")
    at.selectbox(key="sl_new_reply_intent").set_value("size_fit")
    at.selectbox(key="sl_new_reply_register").set_value("vos")
    at = submit(at, "Añadir respuesta guardada")
    with seeded_app.store.engine.connect() as conn:
        row = (
            conn.execute(select(saved_replies).where(saved_replies.c.title == "Cambio de talla"))
            .mappings()
            .one()
        )
    assert (row["intent"], row["register"], row["brand_id"]) == ("size_fit", "vos", None)
    at.button(key=f"sl_delete_reply_{row['id']}").click().run()
    assert "Cambio de talla" not in [e.label for e in at.expander]


def test_settings_view_refuses_an_agent_even_if_reached(settings_app) -> None:
    at = settings_app("beto")
    assert [w.value for w in at.warning] == ["Tu rol no permite esta acción."]
    assert not at.text_input
