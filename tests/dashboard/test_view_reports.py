"""The owner views — Responsiveness, Trends, FAQ — on a seeded store: every role sees them, the figures are
the store's, every number opens the items behind it, and the UI speaks the user's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from dashboard import state
from social_listen.db.tables import items
from social_listen.metrics import backlog_by_age
from social_listen.model import Item, Page
from tests.dashboard.seed import Seeded


def _waiting(seeded: Seeded) -> int:
    rows = backlog_by_age(seeded.store.engine, datetime.now(UTC))
    return sum(int(r["count"]) for r in rows)


def _received(seeded: Seeded, days: int = 30) -> int:
    since = datetime.now(UTC) - timedelta(days=days)
    with seeded.store.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(
                    items.c.is_own.is_(False), items.c.published_at >= since, items.c.status != "ignored"
                )
            ).scalar_one()
        )


def _render(seeded_app: Seeded, user: str, module: str, **session):
    from streamlit.testing.v1 import AppTest

    from social_listen.users import user_row
    from tests.dashboard.conftest import VIEW_SCRIPT

    at = AppTest.from_string(VIEW_SCRIPT.format(module=module), default_timeout=60)
    at.session_state[state.USER] = user_row(seeded_app.store.engine, seeded_app.users[user])
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def test_every_role_gets_the_three_owner_views(open_app) -> None:
    for user in ("ana", "beto", "vera"):
        pages = open_app(user).session_state[state.PAGES]
        assert {"responsiveness", "trends", "faq"} <= set(pages)


def test_responsiveness_shows_the_stores_backlog_and_received_counts(seeded_app: Seeded) -> None:
    at = _render(seeded_app, "vera", "responsiveness")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Waiting"] == f"{_waiting(seeded_app):,}"
    assert _waiting(seeded_app) > 0
    assert metrics["Received"] == f"{_received(seeded_app):,}"
    captions = " ".join(c.value for c in at.caption)
    assert "cohort" in captions and "Activity rate" in captions  # both conventions, labelled


def test_why_this_number_lists_exactly_the_waiting_items(seeded_app: Seeded) -> None:
    at = _render(seeded_app, "vera", "responsiveness", **{state.REPORT_DRILL: "backlog"})
    assert not at.exception
    assert f"{_waiting(seeded_app)} items behind this number." in [c.value for c in at.caption]
    table = at.dataframe[-1].value
    assert len(table) == _waiting(seeded_app)
    assert all(link.startswith("item?item=") for link in table["link"])


def test_a_new_open_comment_raises_the_backlog(seeded_app: Seeded) -> None:
    before = _waiting(seeded_app)
    fresh = Item(platform="youtube", external_id="late-question", text="¿Siguen abiertos los sábados?",
                 published_at=datetime.now(UTC) - timedelta(minutes=5), thread_external_id="late-question")  # fmt: skip
    source = next(s.name for s in seeded_app.config.sources if s.platform == "youtube")
    seeded_app.store.save_page(source, Page([fresh]))
    at = _render(seeded_app, "vera", "responsiveness")
    assert {m.label: m.value for m in at.metric}["Waiting"] == f"{before + 1:,}"


def test_trends_chart_counts_and_reputation_render_in_spanish(seeded_app: Seeded) -> None:
    at = _render(seeded_app, "beto", "trends")
    assert not at.exception
    assert at.title[0].value == "Tendencias"
    assert len(at.get("vega_lite_chart")) >= 3  # volume, shares, heatmap
    table = at.dataframe[0].value if at.dataframe else None
    reputation = [m for m in at.metric]
    assert reputation and reputation[0].label == seeded_app.config.brands[0].name
    assert table is not None
    assert "Proporción negativa" in " ".join(s.value for s in at.subheader)


def test_trend_totals_add_up_to_the_items_received(seeded_app: Seeded) -> None:
    at = _render(seeded_app, "vera", "trends")
    trend = next(d.value for d in at.dataframe if "total" in d.value.columns)
    assert int(trend["total"].sum()) == _received(seeded_app)


def test_faq_groups_questions_asked_again_and_again(seeded_app: Seeded) -> None:
    source = next(s.name for s in seeded_app.config.sources if s.platform == "youtube")
    now = datetime.now(UTC)
    asked = [Item(platform="youtube", external_id=f"canarias-{n}", text=text, published_at=now - timedelta(hours=n),
                  thread_external_id=f"canarias-{n}")
             for n, text in enumerate(["¿Hacéis envíos a Canarias?", "¿Enviáis a Canarias?",
                                       "Hola, ¿los envíos a Canarias cuánto tardan?", "¿Llegan los envíos a Canarias?"])]  # fmt: skip
    seeded_app.store.save_page(source, Page(asked))
    at = _render(seeded_app, "vera", "faq")
    assert not at.exception
    titles = [e.label for e in at.expander]
    canarias = [title for title in titles if "canarias" in title.lower()]
    assert len(canarias) == 1  # one group, not four
    assert int(canarias[0].split("×")[0]) >= 3  # the wordings differ: most of the four still land together


def test_a_user_limited_to_one_brand_never_sees_anothers_figures(seeded_app: Seeded) -> None:
    from dashboard import data

    user = {"id": 1, "brands": ["Otra Marca"]}
    scope = data.report_scope(user, 30, brands=[seeded_app.config.brands[0].name])
    assert scope.brands == ("Otra Marca",)
