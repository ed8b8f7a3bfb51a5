"""The dashboard in a real browser (Chromium through Playwright) against `social-listen dashboard` and a fake
Graph server: answer a negative Spanish comment once, viewers and stale clicks are refused, hostile comments
stay text, new items arrive by themselves. Also takes the README's screenshots."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from social_listen.db.tables import items
from social_listen.inbox_admin import update_user
from social_listen.inbox_replies import send_reply
from social_listen.model import Author, Item, Page, utcnow
from social_listen.users import PermissionDenied
from tests.dashboard.browser import CHROMIUM, CHROMIUM_ARGS, Dashboard, dashboard_for_browser
from tests.dashboard.seed import HOSTILE_TEXT, PASSWORD

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WAIT = 20_000  # ms: a Streamlit rerun on a busy CI machine


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    with dashboard_for_browser(tmp_path_factory, "dashboard") as running:
        yield running


@pytest.fixture(scope="module")
def browser(dashboard: Dashboard) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, dashboard: Dashboard):
    """A fresh browser session (its own cookies, so its own Streamlit session) per user."""
    contexts = []

    def open_as(user: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-ES")
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        log_in(page, dashboard.url, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


def log_in(page, url: str, user: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    page.locator(".st-key-sl_login_name input").fill(user)
    page.locator(".st-key-sl_login_password input").fill(PASSWORD)
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    expect(page.get_by_role("heading", name=re.compile("Bandeja de entrada|Inbox"))).to_be_visible(
        timeout=WAIT
    )


def idle(page) -> None:
    """Wait until Streamlit has finished the current run (no stale elements left on the page)."""
    page.wait_for_function(
        "!document.querySelector('[data-stale=\"true\"]') && "
        '!document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stSpinner"]\')',
        timeout=WAIT,
    )


def click(page, key: str) -> None:
    """Click the button whose widget key is ``key``, once the page is settled."""
    idle(page)
    page.locator(f".st-key-{key} button").click()


def choose(page, key: str, option: str) -> None:
    """Pick ``option`` in the select or multiselect whose widget key is ``key``."""
    idle(page)
    page.locator(f".st-key-{key} input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def open_item(page, dashboard: Dashboard, key: str) -> None:
    from playwright.sync_api import expect

    idle(page)
    page.locator(f".st-key-sl_open_{dashboard.seeded.items[key]} a").click()
    expect(page.locator(".st-key-sl_back")).to_be_visible(timeout=WAIT)


def status_of(dashboard: Dashboard, key: str) -> tuple[str, str | None]:
    with dashboard.seeded.store.engine.connect() as conn:
        row = conn.execute(
            select(items.c.status, items.c.answered_by).where(items.c.id == dashboard.seeded.items[key])
        )
        return tuple(row.one())  # type: ignore[return-value]


def posted_replies(dashboard: Dashboard, key: str) -> list[str]:
    """Replies the fake Graph server received for one seeded comment."""
    with dashboard.seeded.store.engine.connect() as conn:
        comment = conn.execute(
            select(items.c.external_id).where(items.c.id == dashboard.seeded.items[key])
        ).scalar_one()
    return [
        r.form()["message"]
        for r in dashboard.graph.calls("POST", "comments")
        if r.path.endswith(f"/{comment}/comments")
    ]


def test_agent_answers_a_negative_spanish_comment_once(new_page, dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    page = new_page("beto")
    choose(page, "sl_filter_sentiment", "Negativo")
    choose(page, "sl_filter_language", "Español")
    expect(page.get_by_text("10 mensajes · página 1 de 1")).to_be_visible(timeout=WAIT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "inbox.png"))
    open_item(page, dashboard, "fb-es-neg-0")
    choose(page, f"sl_template_{dashboard.seeded.items['fb-es-neg-0']}", "Pedido retrasado")
    composer = page.locator(f".st-key-sl_composer_{dashboard.seeded.items['fb-es-neg-0']} textarea")
    expect(composer).to_have_value(re.compile("^Hola Carlos, lamentamos el retraso. Escríbenos por privado"))
    page.screenshot(path=str(SCREENSHOTS / "item.png"), full_page=True)
    expected = composer.input_value()
    click(page, "sl_send_reply")
    expect(page.get_by_text("Respuesta publicada.")).to_be_visible(timeout=WAIT)
    assert posted_replies(dashboard, "fb-es-neg-0") == [expected]  # exactly one reply reached the platform
    assert status_of(dashboard, "fb-es-neg-0") == ("answered", "tool")
    expect(page.get_by_text(re.compile("Estado: Respondido"))).to_be_visible()
    click(page, "sl_send_reply")  # a second click: the composer is empty
    expect(page.get_by_text("La respuesta está vacía.")).to_be_visible(timeout=WAIT)
    click(page, "sl_back")
    expect(page.get_by_text("9 mensajes · página 1 de 1")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("El pedido no llega desde hace dos semanas")).to_have_count(0)
    assert len(posted_replies(dashboard, "fb-es-neg-0")) == 1


def test_viewer_sees_no_reply_controls_and_forged_requests_are_refused(
    new_page, dashboard: Dashboard
) -> None:
    from playwright.sync_api import expect

    page = new_page("vera")
    open_item(page, dashboard, "fb-es-neg-1")
    expect(page.get_by_text("You have read-only access: no replies.")).to_be_visible()
    assert page.locator("textarea").count() == 0
    assert (
        page.locator(".st-key-sl_send_reply, .st-key-sl_status_actions, [data-testid='stCheckbox']").count()
        == 0
    )
    store, vera = dashboard.seeded.store, dashboard.seeded.users["vera"]
    with pytest.raises(PermissionDenied):  # the same call the Send button makes, forged with the viewer's id
        send_reply(
            store, vera, dashboard.seeded.items["fb-es-neg-1"], "forged", lambda request: pytest.fail("sent")
        )
    assert posted_replies(dashboard, "fb-es-neg-1") == []


def test_send_is_refused_after_the_role_changed_under_an_open_page(new_page, dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    page = new_page("dora")
    open_item(page, dashboard, "fb-es-neg-2")
    composer = page.locator(f".st-key-sl_composer_{dashboard.seeded.items['fb-es-neg-2']} textarea")
    composer.fill("Te cambiamos la talla sin coste")
    composer.blur()
    expect(page.get_by_text("Así se publicará:")).to_be_visible(timeout=WAIT)
    idle(page)
    seeded = dashboard.seeded
    update_user(seeded.store.engine, seeded.users["ana"], seeded.users["dora"], role="viewer")
    click(page, "sl_send_reply")  # the button is still on her screen
    expect(page.get_by_text("Tu rol no permite esta acción.")).to_be_visible(timeout=WAIT)
    assert posted_replies(dashboard, "fb-es-neg-2") == []
    assert status_of(dashboard, "fb-es-neg-2") == ("open", None)


def test_hostile_comment_is_shown_as_text_and_nothing_runs(new_page, dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    page = new_page("beto")
    expect(page.get_by_text(HOSTILE_TEXT, exact=True)).to_be_visible(timeout=WAIT)
    _assert_nothing_injected(page)
    open_item(page, dashboard, "fb-hostile")
    expect(page.get_by_text(HOSTILE_TEXT, exact=True)).to_be_visible()
    expect(
        page.get_by_role("heading", name="<img src=x onerror=alert(1)> [Ana](javascript:alert(1))")
    ).to_be_visible()
    _assert_nothing_injected(page)


def _assert_nothing_injected(page) -> None:
    page.wait_for_timeout(500)  # give any injected handler the chance to fire
    assert page.evaluate("window.__pwned === undefined")
    assert page.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href*='evil.example'], a[href^='javascript:']").count() == 0
    assert page.evaluate("[...document.scripts].every(s => !s.textContent.includes('__pwned'))")
    assert page.locator("b:text('html')").count() == 0 and page.locator("strong:text('negrita')").count() == 0


def test_new_items_appear_without_reloading(new_page, dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    page = new_page("ana")
    text = "¿Hacen envíos a Canarias? Lo necesito urgente"
    arrived = Item(platform="youtube", external_id="yt-live-1", text=text, published_at=utcnow(),
                   author=Author("a-live", "Inés Navarro"), language="es")  # fmt: skip
    dashboard.seeded.store.save_page("luna-youtube", Page([arrived]))
    with dashboard.seeded.store.engine.begin() as conn:
        conn.execute(items.update().where(items.c.external_id == "yt-live-1").values(priority=0.99))
    expect(page.get_by_text(text)).to_be_visible(timeout=WAIT)  # no page.reload(): the fragment refreshes


def test_a_colleague_sees_who_has_an_item_open(new_page, dashboard: Dashboard) -> None:
    from playwright.sync_api import expect

    beto = new_page("beto")
    open_item(beto, dashboard, "fb-es-neg-3")
    ana = new_page("ana")
    card = ana.locator(f".st-key-sl_card_{dashboard.seeded.items['fb-es-neg-3']}")
    expect(card.get_by_text("Beto lo está viendo")).to_be_visible(timeout=WAIT)


def test_owner_views_render_charts_and_tables_for_a_viewer(new_page, dashboard: Dashboard) -> None:
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import expect

    from social_listen.model import Item, Page

    now = datetime.now(UTC)
    questions = ["¿Hacéis envíos a Canarias?", "¿Enviáis a Canarias?", "¿Llegan los envíos a Canarias?"]
    dashboard.seeded.store.save_page(
        next(s.name for s in dashboard.seeded.config.sources if s.platform == "youtube"),
        Page([Item(platform="youtube", external_id=f"faq-{n}", text=text, published_at=now - timedelta(hours=n + 1),
                   thread_external_id=f"faq-{n}") for n, text in enumerate(questions)]),
    )  # fmt: skip
    page = new_page("vera")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for nav, heading, shot in (
        ("Responsiveness", "Responsiveness", "responsiveness.png"),
        ("Trends", "Trends", "trends.png"),
        ("FAQ", "Frequently asked questions", "faq.png"),
    ):
        idle(page)
        page.get_by_test_id("stSidebarNav").get_by_text(nav, exact=True).click()
        expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=WAIT)
        idle(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        if nav != "FAQ":
            expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=WAIT)
        expect(page.locator("[data-testid='stDataFrame']:visible").first).to_be_visible(timeout=WAIT)
        page.wait_for_timeout(800)  # let the charts finish drawing for the screenshot
        page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
