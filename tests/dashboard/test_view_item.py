"""The item view: context, the composer with saved replies, sending once, settling doubtful replies, team
actions; viewers read only, and a click the role no longer allows is refused by the data layer."""

from __future__ import annotations

from sqlalchemy import select

from dashboard import state
from dashboard.safe import md
from social_listen.db.tables import corrections, items, notes, saved_replies
from social_listen.errors import UncertainDelivery
from social_listen.inbox_admin import update_user
from social_listen.inbox_locks import touch_lock
from tests.dashboard.seed import HOSTILE_TEXT, Seeded


def open_item(at, seeded: Seeded, key: str):
    """Follow the inbox card's link (…/?item=ID)."""
    at.query_params["item"] = str(seeded.items[key])
    at.run()
    assert not at.exception
    return at


def item_row(seeded: Seeded, key: str) -> dict:
    with seeded.store.engine.connect() as conn:
        return dict(conn.execute(select(items).where(items.c.id == seeded.items[key])).mappings().one())


def composer(at, seeded: Seeded, key: str):
    return at.text_area(key=f"{state.COMPOSER_PREFIX}{seeded.items[key]}")


def pick_saved_reply(at, seeded: Seeded, key: str, title: str) -> None:
    with seeded.store.engine.connect() as conn:
        template_id = conn.execute(
            select(saved_replies.c.id).where(saved_replies.c.title == title)
        ).scalar_one()
    at.selectbox(key=f"{state.TEMPLATE_PREFIX}{seeded.items[key]}").set_value(template_id).run()


def test_item_shows_the_thread_with_the_brand_reply_marked(open_app, seeded_app: Seeded) -> None:
    at = open_item(open_app("beto"), seeded_app, "yt-thread-follow")
    assert at.text[0].value == "Sigue sin llegar, ¿qué pasa?"
    badges = [m.value for m in at.markdown]
    assert any("Respuesta de la marca" in b for b in badges) and any("VIP" in b for b in badges)
    assert [t.value for t in at.text][1:4] == [
        "¿Llega antes de Navidad?",
        "¡Sí! Sale mañana.",
        "Sigue sin llegar, ¿qué pasa?",
    ]
    assert "Escribo también por aquí" in [t.value for t in at.text]  # the same person on Facebook


def test_saved_reply_fills_the_composer_for_the_customer_and_register(
    open_app, seeded_app: Seeded, publisher
) -> None:
    at = open_item(open_app("beto"), seeded_app, "fb-es-neg-0")
    pick_saved_reply(at, seeded_app, "fb-es-neg-0", "Pedido retrasado")
    expected = "Hola Carlos, lamentamos el retraso. Escríbenos por privado y lo miramos."
    assert composer(at, seeded_app, "fb-es-neg-0").value == expected
    at.button_group(key=f"{state.REGISTER_PREFIX}{seeded_app.items['fb-es-neg-0']}").set_value("vos").run()
    assert "Escribinos por privado" in composer(at, seeded_app, "fb-es-neg-0").value
    assert composer(at, seeded_app, "fb-es-neg-0").value in [t.value for t in at.text]  # the preview


def test_send_posts_once_answers_the_item_and_it_leaves_the_queue(
    open_app, seeded_app: Seeded, publisher
) -> None:
    at = open_item(open_app("beto"), seeded_app, "fb-es-neg-0")
    composer(at, seeded_app, "fb-es-neg-0").input("Hola, lo revisamos ya mismo.").run()
    at.button(key="sl_send_reply").click().run()
    assert [s.value for s in at.success] == [md("Respuesta publicada.")]
    assert [p.item_external_id for p in publisher.posted] == ["fb-es-neg-0"]
    row = item_row(seeded_app, "fb-es-neg-0")
    assert (row["status"], row["answered_by"]) == ("answered", "tool")
    assert composer(at, seeded_app, "fb-es-neg-0").value == ""
    at.button(key="sl_send_reply").click().run()  # a second click with an empty composer sends nothing
    assert len(publisher.posted) == 1
    at.button(key="sl_back").click().run()
    assert "El pedido no llega desde hace dos semanas, nadie contesta" not in [t.value for t in at.text]


def test_viewer_sees_no_reply_or_team_controls(open_app, seeded_app: Seeded, publisher) -> None:
    at = open_item(open_app("vera"), seeded_app, "fb-es-neg-0")
    sidebar = {w.key for w in at.sidebar.button} | {w.key for w in at.sidebar.button_group}
    assert not at.text_area and not at.selectbox
    assert {b.key for b in at.button} - sidebar == {"sl_back"}
    assert {b.key for b in at.button_group} - sidebar == set()
    assert "You have read-only access: no replies." in [c.value for c in at.caption]


def test_a_click_the_role_no_longer_allows_is_refused(open_app, seeded_app: Seeded, publisher) -> None:
    at = open_item(open_app("beto"), seeded_app, "fb-es-neg-1")
    composer(at, seeded_app, "fb-es-neg-1").input("Te devolvemos el dinero").run()
    update_user(seeded_app.store.engine, seeded_app.users["ana"], seeded_app.users["beto"], role="viewer")
    at.button(key="sl_send_reply").click().run()  # the page still shows Send: the data layer decides
    assert [e.value for e in at.error] == [md("Tu rol no permite esta acción.")]
    assert publisher.posted == [] and item_row(seeded_app, "fb-es-neg-1")["status"] == "open"
    assert not at.text_area  # and from now on the page is read-only


def test_channel_without_reply_api_is_marked_answered_by_hand(
    open_app, seeded_app: Seeded, publisher
) -> None:
    at = open_app("beto")
    at.sidebar.multiselect(key=state.FILTER_PREFIX + "platform").set_value(["google_reviews"]).run()
    open_item(at, seeded_app, "gr-1")
    assert not [box for box in at.text_area if box.key.startswith(state.COMPOSER_PREFIX)]
    at.button(key="sl_mark_answered").click().run()
    row = item_row(seeded_app, "gr-1")
    assert (row["status"], row["answered_by"]) == ("answered", "manual")
    assert any("marcado a mano" in c.value for c in at.caption)


def test_uncertain_reply_is_shown_and_settled_by_a_person(open_app, seeded_app: Seeded, publisher) -> None:
    publisher.errors.append(UncertainDelivery("read timeout after the POST"))
    at = open_item(open_app("beto"), seeded_app, "fb-es-neg-2")
    composer(at, seeded_app, "fb-es-neg-2").input("Cambiamos la talla sin coste").run()
    at.button(key="sl_send_reply").click().run()
    assert at.error and "read timeout" in at.error[0].value
    reply_id = seeded_app.store.reply_rows()[0]["id"]
    at.button(key=f"sl_settle_sent_{reply_id}").click().run()
    assert seeded_app.store.reply_rows()[0]["status"] == "sent" and len(publisher.posted) == 1
    assert item_row(seeded_app, "fb-es-neg-2")["status"] == "answered"


def test_note_assignment_status_and_correction(open_app, seeded_app: Seeded, publisher) -> None:
    at = open_item(open_app("beto"), seeded_app, "yt-en-1")
    item_id = seeded_app.items["yt-en-1"]
    at.text_area(key=f"{state.NOTE_PREFIX}{item_id}").input("Customer called too")
    next(b for b in at.button if b.label == "Añadir nota").click().run()
    at.button(key="sl_assign_me").click().run()
    at.selectbox(key=f"sl_correct_sentiment_{item_id}").set_value("neu")
    next(b for b in at.button if b.label == "Guardar corrección").click().run()
    at.button(key="sl_status_closed").click().run()
    row = item_row(seeded_app, "yt-en-1")
    assert (row["assignee_id"], row["sentiment_label"], row["status"]) == (
        seeded_app.users["beto"],
        "neu",
        "closed",
    )
    with seeded_app.store.engine.connect() as conn:
        assert conn.execute(select(notes.c.text)).scalars().all() == ["Customer called too"]
        assert conn.execute(select(corrections.c.field, corrections.c.value)).all() == [("sentiment", "neu")]
    assert "Customer called too" in [t.value for t in at.text]
    assert at.button(key="sl_status_reopen")


def test_colleague_drafting_is_shown_on_the_item(open_app, seeded_app: Seeded, publisher) -> None:
    touch_lock(seeded_app.store.engine, seeded_app.users["ana"], seeded_app.items["fb-es-neg-3"], "drafting")
    at = open_item(open_app("beto"), seeded_app, "fb-es-neg-3")
    assert [w.value for w in at.warning] == ["Ana está escribiendo una respuesta a este mensaje."]


def test_hostile_comment_is_text_everywhere(open_app, seeded_app: Seeded, publisher) -> None:
    at = open_item(open_app("beto"), seeded_app, "fb-hostile")
    assert at.text[0].value == HOSTILE_TEXT
    assert at.subheader[0].value == md("<img src=x onerror=alert(1)> [Ana](javascript:alert(1))")
    assert all("<script" not in m.value and "](http" not in m.value for m in at.markdown)


def test_a_likely_complaint_is_badged_and_saving_neutral_clears_the_flag(
    open_app, seeded_app: Seeded, publisher
) -> None:
    item_id = seeded_app.items["yt-en-2"]
    with seeded_app.store.engine.begin() as conn:  # as triage stores a complaint in flat words
        conn.execute(
            items.update().where(items.c.id == item_id).values(sentiment_label="neu", fast_reply=True)
        )
    at = open_item(open_app("beto"), seeded_app, "yt-en-2")
    assert sum("Probable queja" in m.value for m in at.markdown) == 1
    at.selectbox(key=f"sl_correct_sentiment_{item_id}").set_value("neu")  # the label it already has
    next(b for b in at.button if b.label == "Guardar corrección").click().run()
    row = item_row(seeded_app, "yt-en-2")
    assert (row["sentiment_label"], row["fast_reply"]) == ("neu", False)
    with seeded_app.store.engine.connect() as conn:
        assert conn.execute(select(corrections.c.field, corrections.c.value)).all() == [("sentiment", "neu")]
    assert not any("Probable queja" in m.value for m in at.markdown)


def test_priority_reasons_are_shown_in_the_reader_language(open_app, seeded_app: Seeded) -> None:
    stored = item_row(seeded_app, "fb-es-neg-0")["priority_reasons"]
    assert stored.startswith("negative · ")  # as triage writes them
    spanish = open_item(open_app("beto"), seeded_app, "fb-es-neg-0")
    shown = [c.value for c in spanish.caption if c.value.startswith("Por qué:")]
    assert len(shown) == 1 and shown[0].startswith("Por qué: negativo") and "días abierto" in shown[0]
    assert "negative" not in shown[0] and "open" not in shown[0]
    english = open_item(open_app("vera"), seeded_app, "fb-es-neg-0")
    assert any(c.value == f"Why: {md(stored, 300)}" for c in english.caption)
