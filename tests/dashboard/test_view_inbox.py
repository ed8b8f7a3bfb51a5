"""The inbox view: the order, filters with counts, escaped text, bulk actions, pages; viewers only look."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import select

from dashboard import state
from dashboard.safe import md
from social_listen.db.tables import items
from social_listen.model import Author, Item, Page, utcnow
from tests.dashboard.seed import HOSTILE_TEXT, Seeded


def statuses(seeded: Seeded, *keys: str) -> list[str]:
    with seeded.store.engine.connect() as conn:
        found = dict(conn.execute(select(items.c.id, items.c.status)).tuples().all())
    return [found[seeded.items[k]] for k in keys]


def summary(at) -> str:
    return at.caption[0].value


def test_open_items_by_priority_with_untrusted_text_shown_as_text(open_app) -> None:
    at = open_app("beto")
    assert summary(at) == "37 mensajes · página 1 de 2"
    assert at.text[0].value == HOSTILE_TEXT  # st.text: no markdown, no HTML
    heading = at.caption[1].value
    assert heading.startswith(
        "**\\<img src\\=x onerror\\=alert\\(1\\)\\> \\[Ana\\]\\(javascript\\:alert\\(1\\)\\)**"
    )
    assert at.text[1].value == "El pedido no llega desde hace dos semanas, nadie contesta"


def test_filtering_to_negative_spanish_items_with_counts(open_app) -> None:
    at = open_app("beto")
    at.sidebar.multiselect(key=state.FILTER_PREFIX + "language").set_value(["es"]).run()
    at.sidebar.multiselect(key=state.FILTER_PREFIX + "sentiment").set_value(["neg"]).run()
    assert summary(at) == "10 mensajes · página 1 de 1"
    assert len(at.text) == 10
    # the language choice survives other filters changing its counts (labels carry no counts)
    assert at.sidebar.multiselect(key=state.FILTER_PREFIX + "language").value == ["es"]
    counts = [c.value for c in at.sidebar.caption]
    assert "Español **10** · Inglés **3**" in counts
    assert (
        "Neutro **16** · Negativo **10** · Positivo **4** · Sin analizar **1**" in counts
    )  # ignores its own choice


def test_search_and_clear_filters(open_app) -> None:
    at = open_app("beto")
    at.sidebar.text_input(key=state.SEARCH).input("100%").run()
    assert [t.value for t in at.text] == ["Precio 100% rebajado? jaja"]
    at.sidebar.button(key="sl_clear_filters").click().run()
    assert summary(at).startswith("37 ")


def test_answered_items_show_when_the_status_filter_asks(open_app) -> None:
    at = open_app("beto")
    at.sidebar.multiselect(key=state.FILTER_PREFIX + "status").set_value(["answered"]).run()
    assert [t.value for t in at.text] == ["¿Llega antes de Navidad?"]


def test_bulk_ignore_on_a_selection(open_app, seeded_app: Seeded) -> None:
    at = open_app("beto")
    chosen = ("fb-es-neg-5", "yt-es-4")
    for key in chosen:
        at.checkbox(key=f"{state.SELECTED_PREFIX}{seeded_app.items[key]}").check()
    at.selectbox(key=state.BULK_ACTION).set_value("ignore")
    at.run()
    at.button(key="sl_bulk_apply").click().run()
    assert [s.value for s in at.success] == [md("Hecho: 2 mensajes cambiados.")]
    assert statuses(seeded_app, *chosen) == ["ignored", "ignored"]
    assert summary(at).startswith("35 ")
    assert not any(c.value for c in at.checkbox)


def test_bulk_assign_then_mine_filter(open_app, seeded_app: Seeded) -> None:
    at = open_app("beto")
    at.button(key="sl_select_page").click().run()
    at.selectbox(key=state.BULK_ACTION).set_value("assign").run()
    at.selectbox(key=state.BULK_ASSIGNEE).set_value(seeded_app.users["beto"]).run()
    at.button(key="sl_bulk_apply").click().run()
    at.sidebar.multiselect(key=state.FILTER_PREFIX + "assignee").set_value(["mine"]).run()
    assert summary(at) == "25 mensajes · página 1 de 1"


def test_bulk_spam_tags_and_hides(open_app, seeded_app: Seeded) -> None:
    at = open_app("beto")
    at.checkbox(key=f"{state.SELECTED_PREFIX}{seeded_app.items['fb-hostile']}").check()
    at.selectbox(key=state.BULK_ACTION).set_value("spam")
    at.run()
    at.button(key="sl_bulk_apply").click().run()
    assert statuses(seeded_app, "fb-hostile") == ["ignored"]
    assert HOSTILE_TEXT not in [t.value for t in at.text]


def test_next_page_shows_the_rest(open_app) -> None:
    at = open_app("beto")
    first = [t.value for t in at.text]
    at.button(key="sl_next").click().run()
    rest = [t.value for t in at.text]
    assert len(first) == 25 and len(rest) == 12 and not set(first) & set(rest)
    assert summary(at) == "37 mensajes · página 2 de 2"


def test_viewer_sees_items_but_no_selection_or_bulk_controls(open_app) -> None:
    at = open_app("vera")
    assert summary(at) == "37 items · page 1 of 2"
    assert not at.checkbox and not at.selectbox
    assert len(at.get("page_link")) == 25  # every card links to its item


def test_new_item_shows_on_the_next_refresh(open_app, seeded_app: Seeded) -> None:
    at = open_app("beto")
    fresh = Item(platform="youtube", external_id="yt-new", text="¿Seguís abiertos el domingo?",
                 published_at=utcnow(), author=Author("a-new", "Nueva Clienta"))  # fmt: skip
    seeded_app.store.save_page("luna-youtube", Page([fresh]))
    st.cache_data.clear()  # what the short TTL does by itself before the next periodic refresh
    at.run()
    assert summary(at).startswith("38 ")  # untriaged (priority 0): it is last, on page 2
    at.button(key="sl_next").click().run()
    assert "¿Seguís abiertos el domingo?" in [t.value for t in at.text]


def test_colleague_drafting_shows_on_the_card(open_app, seeded_app: Seeded) -> None:
    from social_listen.inbox_locks import touch_lock

    touch_lock(seeded_app.store.engine, seeded_app.users["ana"], seeded_app.items["fb-es-neg-0"], "drafting")
    at = open_app("beto")
    assert any("Ana está respondiendo" in m.value for m in at.markdown)


def test_fast_reply_toggle_keeps_negatives_and_flat_complaints_with_a_likely_complaint_badge(
    open_app, seeded_app: Seeded
) -> None:
    from social_listen.scoring import score_pending

    flat = Item(platform="youtube", external_id="yt-flat", published_at=utcnow(), author=Author("a-en", "Sam"),
                text="@TiendaLuna the tracking link in your email goes to a 404 page")  # fmt: skip
    seeded_app.store.save_page("luna-youtube", Page([flat]))
    score_pending(seeded_app.store)
    st.cache_data.clear()
    at = open_app("beto")
    negatives = at.sidebar.multiselect(key=state.FILTER_PREFIX + "sentiment").set_value(["neg"]).run()
    negative_count = int(summary(negatives).split()[0])
    at.sidebar.multiselect(key=state.FILTER_PREFIX + "sentiment").set_value([]).run()
    at.sidebar.toggle(key=state.FAST_REPLY).set_value(True).run()
    assert summary(at).startswith(f"{negative_count + 1} ")  # every negative, and the flat complaint
    assert flat.text in [t.value for t in at.text]
    assert sum("Probable queja" in m.value for m in at.markdown) == 1  # only the one not labelled negative
    at.sidebar.button(key="sl_clear_filters").click().run()
    assert at.sidebar.toggle(key=state.FAST_REPLY).value is False and summary(at).startswith("38 ")
