"""`social-listen crawl reviews|comments URL...`: try pages without a store; JSON per item, summary, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collectors.web.normalize import EXPORT_FIELDS
from social_listen.cli import main
from tests.collectors.pages.site import Site
from tests.fakes.server import FakeServer

FAST = ["-o", "download_delay=0", "--no-cache"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with FakeServer() as server:
        site = Site(server)
        site.page("/producto/zapatillas/", "reviews_jsonld.html")
        site.page("/journal/valencia/", "comments_theme.html")
        yield site


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # noqa: PT004
    """The crawl command needs no config: run where there is none."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOCIAL_LISTEN_CONFIG", raising=False)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["crawl", *args])


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def reviews_run(site: Site) -> Result:
    """`crawl reviews` over a product page and a page that does not exist."""
    return invoke("reviews", site.url("/producto/zapatillas/"), site.url("/producto/no-existe/"), *FAST)


def test_crawl_reviews_prints_one_json_object_per_item(reviews_run: Result) -> None:
    rows = json_lines(reviews_run.stdout)
    assert [r["kind"] for r in rows] == ["post", "review", "review", "review"]
    assert all(tuple(r) == EXPORT_FIELDS and r["lang"] is None for r in rows)
    assert {r["platform"] for r in rows} == {"web_reviews"}
    assert [r["rating"] for r in rows[1:]] == [4.2, 1.0, 5.0]


def test_crawl_exits_non_zero_for_a_404_and_says_why(reviews_run: Result, site: Site) -> None:
    assert reviews_run.exit_code == 1
    assert f"Error: {site.url('/producto/no-existe/')}: HTTP 404" in reviews_run.stderr
    assert reviews_run.stderr.strip().splitlines()[-1] == "4 items from 1 pages, 1 failed"


def test_crawl_comments_with_a_theme_profile_from_options(site: Site) -> None:
    profile = ["-o", "item_selector=.c-item", "-o", "text_selector=.c-text", "-o", "author_selector=.c-author",
               "-o", "date_selector=.c-date", "-o", "date_format=%d/%m/%Y %H:%M", "-o", "id_attribute=data-id",
               "-o", 'own_authors=["Tienda Luna"]']  # fmt: skip
    result = invoke("comments", site.url("/journal/valencia/"), *FAST, *profile)
    rows = {r["author_name"]: r for r in json_lines(result.stdout)}
    assert result.exit_code == 0, result.stderr
    assert set(rows) == {"Raúl", "Tienda Luna", "Eva"}
    assert rows["Tienda Luna"]["is_own"] is True
    assert rows["Tienda Luna"]["parent_external_id"] == rows["Raúl"]["external_id"]
    assert rows["Raúl"]["published_at"] == "2026-02-03T10:15:00Z"


def test_unknown_option_is_an_error_naming_the_known_keys(site: Site) -> None:
    result = invoke("comments", site.url("/journal/valencia/"), "-o", "item_selecter=.c")
    assert result.exit_code == 1
    assert "unknown web option(s) item_selecter; known: allowed_domains" in result.stderr


def test_option_without_equals_is_a_usage_error(site: Site) -> None:
    result = invoke("reviews", site.url("/producto/zapatillas/"), "-o", "max_pages")
    assert result.exit_code == 2 and "is not KEY=VALUE" in result.stderr


def test_the_cli_process_never_loads_scrapy_or_twisted(site: Site) -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from social_listen.cli import main\n"
        f"result = CliRunner().invoke(main, ['crawl', 'reviews', {site.url('/producto/zapatillas/')!r}, "
        "'-o', 'download_delay=0', '--no-cache'])\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted'})\n"
        "print(result.exit_code, len(result.stdout.splitlines()), loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split("\n")[0] == "0 4 []", done.stderr
