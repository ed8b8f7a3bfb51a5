"""Product reviews from any page: schema.org JSON-LD, microdata and RDFa, crawled politely in a child process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from collectors import collector_for
from collectors.web import CrawlSummary, crawl
from collectors.web.collector import rebase
from collectors.web.normalize import to_item
from collectors.web.records import normalise_rating
from collectors.web.settings import check_options, crawler_settings, user_agent
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.errors import ConfigError
from social_listen.store import Store
from tests.collectors.pages.site import FAST, FIXTURES, Site
from tests.conftest import make_config
from tests.fakes.server import FakeServer, Response

EDGE_PAGES = {
    "/producto/zapatillas/": "reviews_jsonld.html",
    "/producto/mochila/": "reviews_microdata.html",
    "/en/thermos/": "reviews_rdfa.html",
    "/quienes-somos/": "no_reviews.html",
    "/producto/gorra/": "broken.html",
}
CONTACT = "https://tienda-luna.example/contacto"


def serve_edge_pages(site: Site) -> None:
    for path, file in EDGE_PAGES.items():
        site.page(path, file)
    site.page("/producto/camiseta/", "reviews_latin1.html", content_type="text/html")  # the meta says latin-1
    site.page("/producto/sudadera/", "reviews_cp1252.html", content_type="text/html; charset=windows-1252")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with FakeServer() as server:
        site = Site(server)
        serve_edge_pages(site)
        yield site


SITEMAP_ONLY = """<html><head><script type="application/ld+json">{"@type": "Product", "name": "Calcetines Luna",
"review": {"@type": "Review", "author": "Sitemap Reader", "reviewBody": "Found through the sitemap."}}</script>
</head></html>"""


def sitemap(site: Site) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{site.url("/producto/calcetines/")}</loc></url>
  <url><loc>{site.url("/blog/una-entrada/")}</loc></url>
  <url><loc>{site.offsite}/producto/espejo/</loc></url>
</urlset>"""


@pytest.fixture(scope="module")
def edge_crawl(site: Site) -> tuple[list[dict[str, Any]], CrawlSummary]:
    """One crawl over every edge case: odd pages, a sitemap, robots.txt-forbidden and off-domain targets."""
    site.route("/sitemap-productos.xml", lambda _: site.text(sitemap(site), "application/xml"))
    site.route("/producto/calcetines/", lambda _: site.text(SITEMAP_ONLY))
    pages = [*EDGE_PAGES, "/producto/camiseta/", "/producto/sudadera/", "/sitemap-productos.xml"]
    guarded = [site.url("/private/a/"), site.url("/private/b/"), f"{site.offsite}/producto/zapatillas/"]
    options = {**FAST, "allowed_domains": ["127.0.0.1"], "sitemap_filter": "/producto/"}
    summary = CrawlSummary()
    rows = list(crawl("reviews", [site.url(p) for p in pages] + guarded, options, CONTACT, summary))
    return rows, summary


def reviews_by_author(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["author_name"]: r for r in rows if r["kind"] == "review"}


def test_json_ld_graph_reviews_are_found_with_references_resolved(edge_crawl: Any) -> None:
    rows, _ = edge_crawl
    found = reviews_by_author(rows)
    ana = found["Ana García"]  # linked from the Product by @id only, author by @id too
    assert ana["external_id"] == "https://tienda-luna.example/zapatillas-luna-runner/#review-101"
    assert (ana["object_title"], ana["object_url"]) == (
        "Zapatillas Luna Runner", "https://tienda-luna.example/zapatillas-luna-runner/"
    )  # fmt: skip
    assert (
        ana["published_at"] == "2026-02-10T18:05:00Z" and ana["text"] == "Muy cómodas para correr, repetiría."
    )
    assert {"Peter Smith", "Lucía Fernández"} <= set(found)


def test_ratings_are_normalised_to_one_to_five_using_best_and_worst(edge_crawl: Any) -> None:
    found = reviews_by_author(edge_crawl[0])
    assert found["Peter Smith"]["rating"] == 4.2  # 8 on a 0-10 scale
    assert found["Lucía Fernández"]["rating"] == 1.0
    assert found["Jordi Puig"]["rating"] == 1.0  # 0 on a 0-5 scale
    assert found["Carmen Ruiz"]["rating"] == 5.0
    assert found["Emily Clarke"]["rating"] == 4.0


@pytest.mark.parametrize(
    ("value", "best", "worst", "expected"),
    [("4", None, None, 4.0), ("4,5", "5", "1", 4.5), (8, 10, 0, 4.2), (10, 10, 1, 5.0), ("95", "100", "0", 4.8),
     ("7", "5", None, None), (None, None, None, None), ("3", "1", "5", None)],
)  # fmt: skip
def test_rating_scales(value: Any, best: Any, worst: Any, expected: float | None) -> None:
    assert normalise_rating(value, best, worst) == expected


def test_review_bodies_become_plain_text_with_paragraphs(edge_crawl: Any) -> None:
    found = reviews_by_author(edge_crawl[0])
    assert found["Peter Smith"]["text"] == "Great shoes, very light.\nSizes run small though."
    assert found["Jordi Puig"]["text"] == "La cremallera se rompió a la semana.\n\nNo la recomiendo."
    assert found["Peter Smith"]["published_at"] == "2026-02-14T08:30:00Z"  # 09:30 in Madrid, stored in UTC


def test_microdata_only_page_uses_description_as_body(edge_crawl: Any, site: Site) -> None:
    found = reviews_by_author(edge_crawl[0])
    carmen = found["Carmen Ruiz"]
    assert carmen["text"] == "Perfecta para el día a día."
    assert carmen["object_title"] == "Mochila Luna 20 L" and carmen["object_url"] == site.url(
        "/mochila-luna-20/"
    )


def test_rdfa_reviews_are_read(edge_crawl: Any) -> None:
    found = reviews_by_author(edge_crawl[0])
    tom = found["Tom Baker"]
    assert tom["text"] == "Leaks when upside down. Where is my refund?" and tom["rating"] == 2.0
    assert tom["object_url"] == "https://tienda-luna.example/thermos/"
    assert tom["object_title"] == "Luna Thermos 500 ml"


def test_aggregate_rating_is_a_closed_snapshot_per_product(edge_crawl: Any) -> None:
    snapshots = {r["object_title"]: r for r in edge_crawl[0] if r["kind"] == "post"}
    assert set(snapshots) == {"Zapatillas Luna Runner", "Mochila Luna 20 L"}
    shoes = snapshots["Zapatillas Luna Runner"]
    assert shoes["rating"] == 4.2 and shoes["is_own"] is True
    assert shoes["text"] == "Aggregate rating 4.2/5 for Zapatillas Luna Runner (57 ratings, 3 reviews)"
    assert shoes["external_id"].startswith("agg:") and snapshots["Mochila Luna 20 L"]["rating"] == 3.5


def test_page_without_reviews_is_visited_and_yields_nothing(edge_crawl: Any, site: Site) -> None:
    rows, summary = edge_crawl
    assert not [r for r in rows if r["url"] == site.url("/quienes-somos/")]
    assert summary.pages == 9  # 7 pages, the sitemap and the page it lists
    assert [url for url, _ in summary.failures if "/private/" not in url] == [
        f"{site.offsite}/producto/zapatillas/"
    ]


def test_broken_html_keeps_the_valid_reviews_and_drops_the_rest(edge_crawl: Any, site: Site) -> None:
    rows, summary = edge_crawl
    on_page = [r for r in rows if r["url"] == site.url("/producto/gorra/")]
    # The same review is in JSON-LD and microdata: kept once. The empty one (no body, no rating) is dropped.
    assert [(r["author_name"], r["text"], r["rating"]) for r in on_page] == [
        ("Marta Gil", "Buen producto, buena talla.", 4.0)
    ]
    assert summary.dropped >= 2


def test_latin1_and_windows_1252_pages_are_decoded(edge_crawl: Any) -> None:
    found = reviews_by_author(edge_crawl[0])
    assert found["Begoña Muñoz"]["text"].startswith("¡Qué bonita! El tamaño es perfecto para mi niña")
    assert found["Begoña Muñoz"]["object_title"] == "Camiseta Niña Año Nuevo"
    assert (
        found["Íñigo Peña"]["text"]
        == "“Calidad-precio” estupenda: 20 € y abriga muchísimo. ¿Habrá más colores?"
    )


def test_reviews_without_ids_get_content_ids(edge_crawl: Any) -> None:
    ids = [r["external_id"] for r in edge_crawl[0] if r["kind"] == "review"]
    assert len(ids) == len(set(ids)) == 11
    assert sum(i.startswith("h:") for i in ids) == 10


# -- politeness: robots.txt, allowed domains, sitemaps ----------------------------------------------


def test_sitemap_leads_to_the_product_pages_it_lists(edge_crawl: Any, site: Site) -> None:
    found = reviews_by_author(edge_crawl[0])
    assert found["Sitemap Reader"]["object_title"] == "Calcetines Luna"
    assert "/blog/una-entrada/" not in site.paths()  # filtered out by sitemap_filter


def test_robots_txt_disallow_is_obeyed(edge_crawl: Any, site: Site) -> None:
    _, summary = edge_crawl
    assert not [p for p in site.paths() if p.startswith("/private/")]
    refused = {url: reason for url, reason in summary.failures if "/private/" in url}
    assert refused == {site.url("/private/a/"): "forbidden by the site's robots.txt",
                       site.url("/private/b/"): "forbidden by the site's robots.txt"}  # fmt: skip


def test_urls_outside_the_allowed_domains_are_not_fetched(edge_crawl: Any, site: Site) -> None:
    _, summary = edge_crawl
    assert "/producto/espejo/" not in site.paths()
    offsite = [reason for url, reason in summary.failures if url.startswith(site.offsite)]
    assert offsite == ["not fetched: outside the allowed domains (127.0.0.1)"]
    assert not [r for r in site.server.requests if "localhost" in r.headers.get("Host", "")]


def test_crawler_settings_are_polite_by_default() -> None:
    settings = crawler_settings(check_options({}), CONTACT)
    assert settings["USER_AGENT"] == user_agent(CONTACT) and settings["USER_AGENT"].endswith(f"(+{CONTACT})")
    assert settings["ROBOTSTXT_OBEY"] is True and settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["HTTPCACHE_ENABLED"] is True
    assert settings["HTTPCACHE_POLICY"] == "scrapy.extensions.httpcache.RFC2616Policy"
    assert settings["DEPTH_LIMIT"] == 10 and settings["DOWNLOAD_MAXSIZE"] == 10 * 1024 * 1024
    assert settings["TELNETCONSOLE_ENABLED"] is False and settings["REMOTE_CONTROL_ENABLED"] is False
    assert "social-listen" in settings["HTTPCACHE_DIR"]


def test_unknown_option_names_the_source_and_the_known_keys() -> None:
    with pytest.raises(ConfigError, match=r"sources.web.options: unknown web option\(s\) max_pagez; known: "):
        check_options({"max_pagez": 3}, "sources.web.options")


def test_base_url_redirects_targets_to_another_server() -> None:
    assert rebase("https://shop.example/p/1?x=2", "http://127.0.0.1:9") == "http://127.0.0.1:9/p/1?x=2"
    assert rebase("/p/1", "http://127.0.0.1:9/") == "http://127.0.0.1:9/p/1"
    assert rebase("https://shop.example/p/1", None) == "https://shop.example/p/1"


def test_undated_reviews_take_the_crawl_time_and_snapshots_are_one_per_day() -> None:
    crawl_time = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    review = {
        "type": "record",
        "kind": "review",
        "external_id": "h:1",
        "text": "Bien",
        "page_url": "http://s/p",
    }
    assert to_item(review, "web_reviews", crawl_time).published_at == crawl_time
    snapshot = {
        "type": "snapshot",
        "page_url": "http://s/p",
        "rating": 4.5,
        "object_id": "http://s/p#product",
    }
    ids = [to_item(snapshot, "web_reviews", crawl_time + timedelta(hours=h)).external_id for h in (0, 13, 14)]
    assert ids[0] == ids[1] != ids[2]  # 10:00 and 23:00 share a day; 00:00 the next day is a new point


# -- the collector contract -------------------------------------------------------------------------

SOURCE = "luna-reviews"


def reviews_config(site: Site, paths: list[str], cache: Path | None = None, **options: Any) -> Any:
    opts = {**FAST, **options}
    if cache is not None:
        opts.update(http_cache=True, cache_dir=str(cache))
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "web_reviews", "options": opts,
              "target": [f"https://tienda-luna.example{p}" for p in paths], "base_url": site.base}  # fmt: skip
    return make_config(sources=[source], contact_url=CONTACT)


@pytest.fixture
def fresh_site() -> Iterator[Site]:
    with FakeServer() as server:
        site = Site(server)
        serve_edge_pages(site)
        yield site


def test_recrawl_is_idempotent_and_revalidates_with_the_cache(any_store: Store, fresh_site: Site,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    fresh_site.route("/producto/etag/", lambda r: _etag_page(fresh_site, r))
    config = reviews_config(fresh_site, ["/producto/zapatillas/", "/producto/mochila/", "/en/thermos/",
                                         "/producto/etag/"], cache=tmp_path / "cache", batch_size=3)  # fmt: skip
    any_store.sync_config(config)
    source = config.source(SOURCE)
    first = run_source(any_store, source, collector_for(config))
    first_cursor = any_store.get_cursor(SOURCE)
    second = run_source(any_store, source, collector_for(config))
    assert (first.status, first.new, first.pages) == ("ok", (3 + 1) + (2 + 1) + 2 + 1, 4)
    assert (second.status, second.new, second.updated) == ("ok", 0, 0)
    assert any_store.get_cursor(SOURCE)["crawled_at"] > first_cursor["crawled_at"]
    assert first_cursor["pages"] == 4 and first_cursor["failed"] == []
    revalidation = fresh_site.requests_to("/producto/etag/")[-1]
    assert revalidation.headers.get("If-None-Match") == '"v1"'
    assert revalidation.headers["User-Agent"] == f"social-listen/0.1.0 (+{CONTACT})"
    assert_items_valid(any_store)


def _etag_page(site: Site, request: Any) -> Response:
    if request.headers.get("If-None-Match") == '"v1"':
        return Response(status=304, raw=b"", headers={"ETag": '"v1"'})
    return site.file(Path(__file__).parent / "pages" / "reviews_latin1.html", "text/html", {"ETag": '"v1"'})


def assert_items_valid(store: Store) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(select(items)).mappings().all()
    assert rows
    for row in rows:
        assert row["published_at"].utcoffset().total_seconds() == 0
        assert row["external_id"] and (row["text"] or row["rating"] is not None)
        assert row["platform"] == "web_reviews" and row["can_reply"] is False
        assert row["status"] == ("closed" if row["kind"] == "post" else "open")


def test_a_failed_page_loses_nothing_and_the_next_run_completes(
    sqlite_store: Store, fresh_site: Site
) -> None:
    paths = ["/producto/zapatillas/", "/producto/mochila/", "/en/thermos/", "/producto/gorra/"]
    config = reviews_config(fresh_site, paths, batch_size=2)
    sqlite_store.sync_config(config)
    fresh_site.server.fail_next("/en/thermos/", Response(status=503, raw=b"busy"), times=3)  # page 3
    first = run_source(sqlite_store, config.source(SOURCE), collector_for(config))
    assert first.status == "failed" and "/en/thermos/: HTTP 503" in first.message
    assert first.new == (3 + 1) + (2 + 1) + 1  # everything but the thermos page was saved
    second = run_source(sqlite_store, config.source(SOURCE), collector_for(config))
    assert (second.status, second.new, second.updated) == ("ok", 2, 0)
    with sqlite_store.engine.connect() as conn:
        ids = conn.execute(select(items.c.external_id)).scalars().all()
    assert len(ids) == len(set(ids)) == 10


# -- conformance: real saved pages ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_pages() -> Iterator[tuple[Site, list[dict[str, Any]], CrawlSummary]]:
    if not FIXTURES.is_dir():
        pytest.skip(f"real saved pages not found at {FIXTURES} (../shared/fixtures is not next to the repo)")
    with FakeServer() as server:
        site = Site(server)
        site.page("/vegan-chocolate-cake/", FIXTURES / "wordpress_recipe_post_with_reviews_and_comments.html")
        for name in ("product.html", "product_microdata.html", "microdata-with-description.html"):
            site.page(f"/{name}", FIXTURES / name)
        summary = CrawlSummary()
        urls = [site.url("/vegan-chocolate-cake/")] + [site.url(f"/{n}") for n in
                ("product.html", "product_microdata.html", "microdata-with-description.html")]  # fmt: skip
        yield site, list(crawl("reviews", urls, FAST, CONTACT, summary)), summary


def test_real_wordpress_recipe_page_has_six_reviews_and_its_aggregate(real_pages: Any) -> None:
    site, rows, summary = real_pages
    on_recipe = [r for r in rows if r["url"] == site.url("/vegan-chocolate-cake/")]
    reviews = [r for r in on_recipe if r["kind"] == "review"]
    assert len(reviews) == 6 and all(r["rating"] == 5.0 and r["text"] for r in reviews)
    assert reviews[0]["author_name"] == "Katie Arth" and reviews[0]["published_at"] == "2024-12-03T00:00:00Z"
    assert {r["object_title"] for r in reviews} == {"The Best Vegan Chocolate Cake"}
    [aggregate] = [r for r in on_recipe if r["kind"] == "post"]
    assert aggregate["rating"] == 4.96 and "1806 ratings" in aggregate["text"]
    assert summary.failures == [] and summary.pages == 4


def test_real_product_pages_give_their_microdata_aggregate_only(real_pages: Any) -> None:
    site, rows, _ = real_pages
    for name in ("product.html", "product_microdata.html"):
        [row] = [r for r in rows if r["url"] == site.url(f"/{name}")]
        assert (row["kind"], row["rating"], row["object_title"]) == ("post", 4.4, "Executive Anvil")
        assert "89 reviews" in row["text"]
    assert not [r for r in rows if r["url"] == site.url("/microdata-with-description.html")]
