"""The Page token never reaches the browser: the inbox and an item page in Chromium (against `social-listen
dashboard` and the fake Graph server) hold no trace of it, also after Facebook refused a reply with an error
that echoes the token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors import publisher_for
from social_listen.inbox_replies import send_reply
from tests.dashboard.browser import CHROMIUM, CHROMIUM_ARGS, Dashboard, dashboard_for_browser
from tests.dashboard.test_browser import WAIT, log_in, open_item
from tests.fakes.graph import graph_error

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    with dashboard_for_browser(tmp_path_factory, "dashboard-secrets") as running:
        yield running


@pytest.mark.timeout(180)
def test_inbox_and_item_pages_hold_no_token(dashboard: Dashboard, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    token, seeded = dashboard.graph.token, dashboard.seeded
    assert len(token) > 8
    refusal = graph_error(
        200,
        f"(#200) Permissions error for access token {token} "
        f"(https://graph.facebook.com/v26.0/x/comments?access_token={token})",
    )
    dashboard.graph.server.fail_next(r".*/comments", refusal)
    item_id = seeded.items["fb-es-neg-0"]
    row = send_reply(
        seeded.store,
        seeded.users["beto"],
        item_id,
        "Lo sentimos, te escribimos.",
        publisher_for(seeded.config),
    )
    assert row["status"] == "failed" and "Permissions error" in row["error"]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-ES").new_page()
            log_in(page, dashboard.url, "ana")
            expect(page.get_by_role("heading", name=re.compile("Bandeja de entrada|Inbox"))).to_be_visible(
                timeout=WAIT
            )
            inbox = page.content()
            open_item(page, dashboard, "fb-es-neg-0")
            expect(page.get_by_text(re.compile("Permissions error")).first).to_be_visible(timeout=WAIT)
            item = page.content()
        finally:
            browser.close()
    assert "Permissions error" in item  # the refusal is shown to the agent ...
    assert token not in inbox and token not in item  # ... without the token it echoed
