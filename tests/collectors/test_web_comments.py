"""Blog comments from any blog: WordPress markup, comment pages, RSS/Atom feeds and custom theme profiles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from parsel import Selector
from sqlalchemy import select

from collectors import collector_for
from collectors.web import CrawlSummary, crawl
from collectors.web.comments_html import CommentProfile, extract, post_url
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.store import Store
from tests.collectors.pages.site import FAST, FIXTURES, PAGES, Site
from tests.conftest import make_config
from tests.fakes.server import FakeServer, Request, Response

POST = "/blog/como-elegir-talla/"
RSS = "/blog/rebajas/feed/"
ATOM = "/en/blog/winter-sale/feed/atom/"
OPTIONS = {**FAST, "own_authors": ["Tienda Luna"]}


def serve_blog(site: Site) -> None:
    site.route(POST, lambda request: _comment_page(site, request))
    site.route("/blog/otro-post/", lambda _: site.text("<html><body>otro</body></html>"))
    site.page(RSS, "comments_feed.xml", content_type="application/rss+xml; charset=UTF-8")
    site.page(ATOM, "comments_atom.xml", content_type="application/atom+xml; charset=UTF-8")


def _comment_page(site: Site, request: Request) -> Response:
    """WordPress's comment paging: ``?cpage=2`` is the older page, no cpage (or 1) the first one."""
    name = "comments_post_page2.html" if request.query.get("cpage") == "2" else "comments_post.html"
    return site.file(PAGES / name, "text/html; charset=UTF-8")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with FakeServer() as server:
        site = Site(server)
        serve_blog(site)
        yield site


@pytest.fixture(scope="module")
def blog_crawl(site: Site) -> tuple[dict[str, dict[str, Any]], CrawlSummary]:
    """One crawl of the post (and its comment pages) and both feeds, rows by external id."""
    summary = CrawlSummary()
    rows = list(crawl("comments", [site.url(POST), site.url(RSS), site.url(ATOM)], OPTIONS, summary=summary))
    assert len(rows) == len({r["external_id"] for r in rows})
    return {r["external_id"]: r for r in rows}, summary


def cid(number: int) -> str:
    return f"127.0.0.1#comment-{number}"


def test_wordpress_comments_are_threaded_through_nested_lists(blog_crawl: Any) -> None:
    rows, _ = blog_crawl
    threads = {n: (rows[cid(n)]["kind"], rows[cid(n)]["parent_external_id"], rows[cid(n)]["thread_external_id"])
               for n in (201, 202, 203, 204, 205, 206)}  # fmt: skip
    assert threads == {
        201: ("comment", None, cid(201)), 202: ("reply", cid(201), cid(201)), 203: ("reply", cid(202), cid(201)),
        204: ("comment", None, cid(204)), 205: ("comment", None, cid(205)), 206: ("reply", cid(205), cid(205)),
    }  # fmt: skip


def test_bypostauthor_replies_are_own_and_staff_without_it_are_not(blog_crawl: Any) -> None:
    rows, _ = blog_crawl
    assert [n for n in (201, 202, 203, 204, 205, 206, 150, 151, 152) if rows[cid(n)]["is_own"]] == [202, 152]


def test_comment_fields_are_read_from_the_markup(blog_crawl: Any, site: Site) -> None:
    laura, shop = blog_crawl[0][cid(201)], blog_crawl[0][cid(202)]
    assert (laura["author_name"], laura["published_at"]) == ("Laura", "2026-03-01T09:00:00Z")
    assert laura["url"] == site.url("/blog/como-elegir-talla/#comment-201")
    assert laura["object_title"] == "Cómo elegir tu talla de zapatillas"
    assert laura["object_url"] == site.url(POST)
    assert shop["text"] == "Hola Laura, tallan un poco pequeñas: te recomendamos una talla más."
    pedro = blog_crawl[0][cid(204)]
    assert pedro["text"] == "Me llegaron con un defecto en la suela.\n\n¿Cómo hago el cambio?"


def test_comment_pages_are_followed_but_not_other_posts_or_sites(blog_crawl: Any, site: Site) -> None:
    rows, summary = blog_crawl
    assert {cid(150), cid(151), cid(152)} <= set(rows)
    assert rows[cid(152)]["parent_external_id"] == cid(151)
    assert rows[cid(152)]["text"] == "Sí: LUNA10 te da un 10 % en tu primer pedido."
    assert [r.query.get("cpage") for r in site.requests_to(POST)] == [None, "2", "1"]
    assert "/blog/otro-post/" not in site.paths()  # post navigation is not comment navigation
    assert "/blog/como-elegir-talla/comment-page-3/" not in site.paths()  # the offsite mirror
    assert summary.failures == []


def test_pingbacks_and_empty_comments_are_skipped(blog_crawl: Any) -> None:
    rows, summary = blog_crawl
    assert cid(207) not in rows and cid(208) not in rows
    assert summary.dropped >= 1


def test_rss_comment_feed_items_become_comments(blog_crawl: Any, site: Site) -> None:
    rows, _ = blog_crawl
    question, answer = rows[cid(301)], rows[cid(302)]
    assert (question["author_name"], question["published_at"]) == ("Nuria", "2026-02-09T17:45:00Z")
    assert question["text"] == "¿Las rebajas valen también para la tienda online?"
    assert question["object_title"] == "Rebajas de invierno" and question["object_url"] == site.url(
        "/blog/rebajas/"
    )
    # WordPress's RSS has no threading; an "In reply to <a href=...#comment-N>" prefix is read when present.
    assert answer["parent_external_id"] == cid(301) and answer["is_own"] is True
    assert answer["text"] == "Sí, en las dos."


def test_atom_comment_feed_threads_through_in_reply_to(blog_crawl: Any, site: Site) -> None:
    rows, _ = blog_crawl
    top, reply = rows[cid(401)], rows[cid(402)]
    assert (top["kind"], top["parent_external_id"], top["object_url"]) == (
        "comment", None, site.url("/en/blog/winter-sale/")
    )  # fmt: skip
    assert (reply["kind"], reply["parent_external_id"], reply["thread_external_id"], reply["is_own"]) == (
        "reply", cid(401), cid(401), True
    )  # fmt: skip
    assert top["author_name"] == "Oliver" and reply["published_at"] == "2026-02-11T09:30:00Z"


# -- profiles, parsed in this process (no crawl needed) -----------------------------------------------


def page_selector(name: str, url: str) -> Selector:
    return Selector(text=(PAGES / name).read_text(encoding="utf-8").replace("__BASE__", "http://blog.example"),
                    base_url=url)  # fmt: skip


def test_custom_theme_profile_reads_comments_with_text_dates() -> None:
    url = "http://blog.example/journal/valencia/"
    profile = CommentProfile.from_options({
        "item_selector": ".c-item", "text_selector": ".c-text", "author_selector": ".c-author",
        "date_selector": ".c-date", "date_format": "%d/%m/%Y %H:%M", "id_attribute": "data-id",
        "own_authors": ["Tienda Luna"],
    })  # fmt: skip
    found = {r.external_id: r for r in extract(page_selector("comments_theme.html", url), url, profile)}
    raul, shop, eva = found[f"{url}#77"], found[f"{url}#78"], found[f"{url}#79"]
    assert (raul.author_name, raul.published_at, raul.text) == (
        "Raúl", "2026-02-03T10:15:00+00:00", "¿Tenéis tienda física en Madrid?"
    )  # fmt: skip
    assert (shop.parent_external_id, shop.is_own, shop.kind) == (f"{url}#77", True, "reply")
    assert shop.syntax == "css-profile"
    assert eva.text == "Me encanta la web." and eva.parent_external_id is None


def test_parent_attribute_threads_flat_comment_lists() -> None:
    html = """<div class="c" data-id="1"><p class="t">¿Hay tallas grandes?</p></div>
              <div class="c" data-id="2" data-parent="1"><p class="t">Sí, hasta la XXL.</p></div>"""
    url = "http://blog.example/p/"
    profile = CommentProfile.from_options({"item_selector": ".c", "text_selector": ".t",
                                           "id_attribute": "data-id", "parent_attribute": "data-parent"})  # fmt: skip
    first, second = extract(Selector(text=html), url, profile)
    assert (second.parent_external_id, second.thread_external_id) == (first.external_id, first.external_id)


def test_own_selector_can_name_staff_classes() -> None:
    url = "http://blog.example/blog/como-elegir-talla/"
    profile = CommentProfile.from_options({"own_selector": ".bypostauthor, .comment-author-maria"})
    own = [r.external_id for r in extract(page_selector("comments_post.html", url), url, profile) if r.is_own]
    assert own == ["blog.example#comment-202", "blog.example#comment-206"]


def test_post_url_drops_comment_paging() -> None:
    assert post_url("https://b.example/p/comment-page-3/#comments") == "https://b.example/p/"
    assert post_url("https://b.example/?p=12&cpage=2") == "https://b.example/?p=12"


# -- the collector contract -------------------------------------------------------------------------

SOURCE = "luna-blog"


def blog_config(site: Site, paths: list[str], **options: Any) -> Any:
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "web_comments", "target": [site.url(p) for p in paths],
              "options": {**OPTIONS, **options}}  # fmt: skip
    return make_config(sources=[source])


@pytest.fixture
def fresh_site() -> Iterator[Site]:
    with FakeServer() as server:
        site = Site(server)
        serve_blog(site)
        yield site


def stored(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        return {row["external_id"]: row for row in conn.execute(select(items)).mappings()}


def test_owner_replies_mark_comments_answered_and_a_recrawl_changes_nothing(any_store: Store,
                                                                            fresh_site: Site) -> None:  # fmt: skip
    config = blog_config(fresh_site, [POST, RSS, ATOM], batch_size=4)
    any_store.sync_config(config)
    first = run_source(any_store, config.source(SOURCE), collector_for(config))
    cursor = any_store.get_cursor(SOURCE)
    second = run_source(any_store, config.source(SOURCE), collector_for(config))
    assert (first.status, first.new, first.answered) == ("ok", 13, 4)
    assert first.pages >= 4 and cursor["pages"] == 5 and cursor["failed"] == []
    assert (second.status, second.new, second.updated, second.answered) == ("ok", 0, 0, 0)
    assert any_store.get_cursor(SOURCE)["crawled_at"] > cursor["crawled_at"]
    rows = stored(any_store)
    answered = sorted(k for k, r in rows.items() if r["status"] == "answered")
    assert answered == [cid(151), cid(201), cid(301), cid(401)]
    assert rows[cid(201)]["answered_at"] == rows[cid(202)]["published_at"]
    assert rows[cid(203)]["status"] == "open"  # the customer wrote again after the shop's answer
    assert all(r["published_at"].utcoffset().total_seconds() == 0 and r["text"] for r in rows.values())


def test_a_failed_feed_is_reported_and_the_post_is_still_saved(sqlite_store: Store, fresh_site: Site) -> None:
    config = blog_config(fresh_site, [POST, "/blog/borrado/feed/"])
    sqlite_store.sync_config(config)
    outcome = run_source(sqlite_store, config.source(SOURCE), collector_for(config))
    assert outcome.status == "failed" and outcome.message.endswith("/blog/borrado/feed/: HTTP 404")
    assert outcome.new == 9 and sqlite_store.get_cursor(SOURCE)["failed"] == [
        fresh_site.url("/blog/borrado/feed/")
    ]


# -- conformance: the real WordPress page ------------------------------------------------------------


def test_real_wordpress_post_has_20_comments_and_4_owner_replies(sqlite_store: Store) -> None:
    page = FIXTURES / "wordpress_recipe_post_with_reviews_and_comments.html"
    if not page.is_file():
        pytest.skip(f"real saved page not found at {page} (../shared/fixtures is not next to the repo)")
    with FakeServer() as server:
        site = Site(server)
        site.page("/vegan-chocolate-cake/", page)
        config = blog_config(site, ["/vegan-chocolate-cake/"])
        sqlite_store.sync_config(config)
        outcome = run_source(sqlite_store, config.source(SOURCE), collector_for(config))
    rows = stored(sqlite_store)
    own = [r for r in rows.values() if r["is_own"]]
    assert (outcome.status, len(rows), len(own)) == ("ok", 20, 4)
    assert {r["author_name"] for r in own} == {"Nora"} and all(r["kind"] == "reply" for r in own)
    parents = {r["parent_external_id"] for r in own}
    assert {k for k, r in rows.items() if r["status"] == "answered"} == parents
    assert rows["127.0.0.1#comment-148875"]["object_title"] == "The Best Vegan Chocolate Cake"
