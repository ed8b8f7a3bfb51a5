"""Time until the first inbox row is visible in headless Chromium, with BENCH_ITEMS (default 1,000,000) items in
the store, against the same dashboard on a small store (BENCH_BROWSER_REFERENCE_ITEMS, default 2,000) measured
in the same run. Each trial is a new browser session: open the page, log in, and stop the clock when the first
inbox card is on screen (the login click starts it). Reports median and p95 of BENCH_BROWSER_TRIALS (default 7)
trials and the target (<= 2 s), never enforced. Uses the store bench_backfill left in bench/results/cache/
(copied, so the cache stays as it was), or builds it first through the same real path (untimed).
Needs Chromium at /usr/bin/chromium (`.ci/run` installs it); without it, the result says so.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from math import ceil
from pathlib import Path
from typing import Any

from bench.scale_backfill import store_for
from bench.scale_data import BRAND, OWN_CHANNEL, SOURCE
from social_listen.store import Store
from social_listen.users import add_user
from tests.dashboard.browser import CHROMIUM, CHROMIUM_ARGS, SOCIAL_LISTEN, free_port, wait_healthy

USER, PASSWORD = "bench-agent", "bench-password-1"
TARGET_SECONDS = 2.0
CARD = "[class*='st-key-sl_card_']"


def config_text(database: Path) -> str:
    """The bench shop's config (as bench_config), pointing at ``database``."""
    return (
        f'database_url = "sqlite:///{database}"\n\n[[brands]]\nname = "{BRAND}"\ntimezone = "Europe/Madrid"\n'
        f'languages = ["es", "en"]\n\n[[sources]]\nname = "{SOURCE}"\nbrand = "{BRAND}"\nplatform = "youtube"\n'
        f'target = "{OWN_CHANNEL}"\n'
    )


@contextmanager
def dashboard_on(store_file: Path, folder: Path) -> Iterator[str]:
    """A copy of the store with a bench user, and `social-listen dashboard` running on it."""
    database = folder / "dashboard.db"
    shutil.copyfile(store_file, database)
    config = folder / "shop.toml"
    config.write_text(config_text(database), encoding="utf-8")
    store = Store(f"sqlite:///{database}")
    add_user(store.engine, USER, PASSWORD, role="agent", language="es")
    store.engine.dispose()
    port = free_port()
    log = folder / "dashboard.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(SOCIAL_LISTEN), "--config", str(config), "dashboard", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, cwd=folder,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log, timeout=120)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        database.unlink(missing_ok=True)


def first_row_seconds(browser: Any, url: str) -> float:
    """One new session: log in and time until the first inbox card is visible."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-ES")
    try:
        page = context.new_page()
        page.goto(url)
        page.locator(".st-key-sl_login_name input").fill(USER)
        page.locator(".st-key-sl_login_password input").fill(PASSWORD)
        started = time.perf_counter()
        page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
        page.locator(CARD).first.wait_for(state="visible", timeout=60_000)
        return time.perf_counter() - started
    finally:
        context.close()


def measure(browser: Any, store_file: Path, trials: int) -> dict[str, Any]:
    """Median and p95 of ``trials`` sessions on a dashboard over ``store_file`` (one warm-up session first)."""
    with (
        tempfile.TemporaryDirectory(prefix="sl-bench-browser-") as folder,
        dashboard_on(store_file, Path(folder)) as url,
    ):
        first_row_seconds(browser, url)  # the server's first run imports and caches; users see it once
        seconds = sorted(first_row_seconds(browser, url) for _ in range(trials))
    return {
        "trials": trials,
        "median_s": round(statistics.median(seconds), 3),
        "p95_s": round(seconds[max(0, ceil(0.95 * len(seconds)) - 1)], 3),
        "all_s": [round(s, 3) for s in seconds],
    }


def main() -> None:
    count = int(os.environ.get("BENCH_ITEMS", "1000000"))
    reference_count = int(os.environ.get("BENCH_BROWSER_REFERENCE_ITEMS", "2000"))
    trials = int(os.environ.get("BENCH_BROWSER_TRIALS", "7"))
    seed = int(os.environ.get("BENCH_SEED", "1"))
    result: dict[str, Any] = {"benchmark": "browser", "items": count, "reference_items": reference_count}
    if not CHROMIUM.exists():
        print(json.dumps({**result, "skipped": f"no Chromium at {CHROMIUM}"}))
        return
    from playwright.sync_api import sync_playwright

    big, _ = store_for(count, seed)
    small, _ = store_for(reference_count, seed)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            reference = measure(browser, small, trials)
            mine = measure(browser, big, trials)
        finally:
            browser.close()
    result.update({
        "first_row": mine, "reference_first_row": reference,
        "vs_reference_median": round(mine["median_s"] / reference["median_s"], 2),
        "target_s": TARGET_SECONDS, "met": mine["p95_s"] <= TARGET_SECONDS,
    })  # fmt: skip
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
