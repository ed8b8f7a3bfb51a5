"""A fake WordPress site with the REST API and WooCommerce, on FakeServer.

It speaks the real shapes (see ../shared/fixtures/wordpress): the home page announces the REST root in a
``Link`` header and a ``<link rel="https://api.w.org/">`` tag (or not at all, for ``?rest_route=``);
``/wp/v2/comments`` filters by ``after`` / ``post`` / ``parent`` / ``type`` and pages with
``X-WP-Total`` / ``X-WP-TotalPages`` (400 past the last page); ``content.rendered`` is HTML;
``/wc/v3/products/reviews`` needs the consumer key and secret; ``POST /wp/v2/comments`` needs an
Application Password and answers 201 with the new comment. Every absolute link in the answers points
at the real site URL (``site_url``), never at the fake, as when a proxy sits in front of a site.
"""

from __future__ import annotations

import base64
import html
import itertools
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.server import FakeServer, Request, Response, json_response

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SITE = "https://blog.tiendaluna.example"
SITE_OFFSET = timedelta(hours=1)  # the site's time zone (Europe/Madrid in winter): ``date`` vs ``date_gmt``


@contextmanager
def quick_server() -> Iterator[FakeServer]:
    """A running FakeServer that stops in 50 ms (``serve_forever`` polls for shutdown every 0.5 s by default)."""
    server = FakeServer()
    server._thread = threading.Thread(  # type: ignore[attr-defined]
        target=server._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    with server:
        yield server


def wp_time(when: datetime) -> str:
    """A time as WordPress writes ``date_gmt``: naive ISO-8601 seconds."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def wp_error(code: str, message: str, status: int) -> Response:
    """A WordPress REST error body."""
    return json_response({"code": code, "message": message, "data": {"status": status}}, status)


def rendered(text: str) -> str:
    """Text as ``wpautop`` renders it: paragraphs, line breaks, HTML entities."""
    paragraphs = [p.replace("\n", "<br />\n") for p in html.escape(text, quote=False).split("\n\n")]
    return "".join(f"<p>{p}</p>\n" for p in paragraphs)


@dataclass
class Post:
    """A post, page or product."""

    id: int
    title: str
    author: int
    type: str = "post"
    comment_status: str = "open"
    slug: str = ""

    @property
    def link(self) -> str:
        """The public URL."""
        base = "producto" if self.type == "product" else "blog"
        return f"{SITE}/{base}/{self.slug or self.id}/"


@dataclass
class Comment:
    """A comment, reply or product review (WordPress keeps them all in one table)."""

    id: int
    post: int
    text: str
    at: datetime
    author: int = 0
    author_name: str = "Ana Ruiz"
    parent: int = 0
    type: str = "comment"
    rating: int = 0
    verified: bool = False
    status: str = "approved"
    extra: dict[str, Any] = field(default_factory=dict)  # fields to change when rendered; None drops one


class FakeWordPress:
    """A blog and a shop: tests add posts, comments and reviews, then point a source at ``base_url``."""

    users = {1: "Marta Gil", 5: "Sofía (atención al cliente)", 7: "Tienda Luna", 9: "Cliente registrado"}

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.site_url = SITE
        self.app_user, self.username, self.app_password = 7, "tienda-luna", "abcd EFGH ijkl MNOP qrst UVWX"
        self.consumer_key, self.consumer_secret = "ck_0123456789abcdef", "cs_fedcba9876543210"
        self.announce = "both"  # how the home page names the REST root: both | header | html | none
        self.plain_permalinks = False  # the REST root is ``/index.php?rest_route=/``
        self.legacy_reviews = False  # WooCommerce < 6: no product_name / product_permalink in reviews
        self.refuse_replies: Response | None = None  # what POST /wp/v2/comments answers instead of creating
        self.now = T0 + timedelta(days=1)  # date of comments created through the API
        self.posts: dict[int, Post] = {}
        self.private_posts: set[int] = set()  # readable only by their editors: GET answers 401
        self.comments: dict[int, Comment] = {}
        self.page_faults: list[tuple[str, int, Response, int]] = []
        self._ids = itertools.count(100)
        server._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        server.route("GET", r"/(index\.php)?", self._home_or_rest)
        server.route("GET", r"/wp-json(?P<route>/.*)", lambda r: self._rest(r, r.match["route"]))  # type: ignore[index]
        server.route("POST", r"/(index\.php)?", self._home_or_rest)
        server.route("POST", r"/wp-json(?P<route>/.*)", lambda r: self._rest(r, r.match["route"]))  # type: ignore[index]

    @property
    def base_url(self) -> str:
        """What a source's ``base_url`` is set to, to reach this fake instead of ``site_url``."""
        return self.server.url

    # -- building content ---------------------------------------------------------------------

    def add_post(self, title: str, author: int = 1, type: str = "post", comment_status: str = "open") -> int:
        """A post (or ``type`` page/product) by ``author``."""
        post = Post(next(self._ids), title, author, type, comment_status, _slug(title))
        self.posts[post.id] = post
        return post.id

    def add_comment(self, post: int, text: str, at: datetime, author: int = 0, name: str = "Ana Ruiz",
                    parent: int = 0, type: str = "comment") -> int:  # fmt: skip
        """A comment on ``post`` (a reply when ``parent`` is set) by a guest or by user ``author``."""
        comment = Comment(next(self._ids), post, text, at, author, self.users.get(author, name), parent, type)
        self.comments[comment.id] = comment
        return comment.id

    def add_review(self, product: int, text: str, at: datetime, rating: int = 5, name: str = "Luis Pérez",
                   verified: bool = True) -> int:  # fmt: skip
        """A product review (a comment of type ``review`` with rating and verified-buyer meta)."""
        review = self.add_comment(product, text, at, 0, name, type="review")
        self.comments[review].rating, self.comments[review].verified = rating, verified
        return review

    def fail_page(self, route: str, page: int, response: Response, times: int = 1) -> None:
        """The next ``times`` requests for page ``page`` of ``route`` (e.g. ``/wp/v2/comments``) fail."""
        self.page_faults.append((route, page, response, times))

    def rest_calls(self, route: str, method: str = "GET") -> list[Request]:
        """Requests received for a REST route, whichever way (``/wp-json`` or ``?rest_route=``) they came."""
        return [r for r in self.server.calls(method) if _route_of(r) == route]

    def api_link(self, route: str) -> str:
        """An absolute REST link as the site writes them (``?rest_route=`` without pretty permalinks)."""
        if self.plain_permalinks:
            return f"{SITE}/index.php?rest_route={route}"
        return f"{SITE}/wp-json{route}"

    # -- answering ----------------------------------------------------------------------------

    def _home_or_rest(self, request: Request) -> Response:
        route = request.query.get("rest_route")
        return self._rest(request, route) if route else self._home()

    def _home(self) -> Response:
        root = f"{SITE}/index.php?rest_route=/" if self.plain_permalinks else f"{SITE}/wp-json/"
        tag = (
            f'<link rel="https://api.w.org/" href="{html.escape(root)}" />'
            if self.announce in ("both", "html")
            else ""
        )
        page = (f"<!DOCTYPE html><html lang=\"es\"><head><title>Blog de Tienda Luna</title>\n"
                f"<link rel='dns-prefetch' href='//fonts.example' />\n{tag}\n</head><body><h1>Blog</h1></body></html>")  # fmt: skip
        headers = {"Content-Type": "text/html; charset=UTF-8"}
        if self.announce in ("both", "header"):
            headers["Link"] = f'<{root}>; rel="https://api.w.org/"'
        return Response(200, raw=page.encode(), headers=headers)

    def _rest(self, request: Request, route: str) -> Response:
        fault = self._page_fault(route, request)
        if fault is not None:
            return fault
        for method, prefix, handler in self._handlers():
            if request.method == method and (route == prefix or route.startswith(prefix + "/")):
                return handler(request, route)
        return wp_error("rest_no_route", "No route was found matching the URL and request method.", 404)

    def _handlers(self) -> list[tuple[str, str, Any]]:
        return [
            ("GET", "/wp/v2/comments", self._list_comments), ("POST", "/wp/v2/comments", self._create_comment),
            ("GET", "/wp/v2/posts", self._get_post), ("GET", "/wp/v2/pages", self._get_post),
            ("GET", "/wp/v2/users/me", self._me), ("GET", "/wc/v3/products/reviews", self._list_reviews),
            ("GET", "/wc/v3/products", self._get_product),
        ]  # fmt: skip

    def _page_fault(self, route: str, request: Request) -> Response | None:
        page = int(request.query.get("page") or 1)
        for n, (prefix, wanted, response, times) in enumerate(self.page_faults):
            if times > 0 and route == prefix and page == wanted:
                self.page_faults[n] = (prefix, wanted, response, times - 1)
                return response
        return None

    def _user(self, request: Request) -> int | None:
        """The Application Password's user, 0 when anonymous, None when the password is wrong."""
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return 0
        user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        return self.app_user if (user, password) == (self.username, self.app_password) else None

    def _me(self, request: Request, route: str) -> Response:
        user = self._user(request)
        if user is None:
            return self._bad_password()
        if not user:
            return wp_error("rest_not_logged_in", "You are not currently logged in.", 401)
        return json_response({"id": user, "name": self.users[user]})

    @staticmethod
    def _bad_password() -> Response:
        return wp_error(
            "incorrect_password", "The provided password is an invalid application password.", 401
        )

    def _list_comments(self, request: Request, route: str) -> Response:
        user, query = self._user(request), request.query
        if user is None:
            return self._bad_password()
        kind = query.get("type") or "comment"
        if kind != "comment" and not user:
            return wp_error("rest_forbidden_param", "Query parameter not permitted: type", 401)
        found = [c for c in self._by_date(query) if c.type == kind and c.status == "approved"]
        found = [c for c in found if _in(query.get("post"), c.post) and _in(query.get("parent"), c.parent)
                 and _in(query.get("include"), c.id)]  # fmt: skip
        return self._paged(request, found, self._render_comment)

    def _list_reviews(self, request: Request, route: str) -> Response:
        if not self._shop_key(request):
            return wp_error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        found = [c for c in self._by_date(request.query) if c.type == "review" and c.status == "approved"]
        return self._paged(request, found, self._render_review)

    def _shop_key(self, request: Request) -> bool:
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            pair = tuple(base64.b64decode(auth[6:]).decode().split(":", 1))
        else:
            pair = (request.query.get("consumer_key", ""), request.query.get("consumer_secret", ""))
        return pair == (self.consumer_key, self.consumer_secret)

    def _by_date(self, query: dict[str, str]) -> list[Comment]:
        """Comments after ``after`` (exclusive; WordPress 5.3+ converts it to the site's time), by date."""
        after = datetime.fromisoformat(query["after"].replace("Z", "+00:00")) if query.get("after") else None
        found = [c for c in self.comments.values() if after is None or c.at > after]
        return sorted(found, key=lambda c: (c.at, c.id), reverse=query.get("order", "desc") == "desc")

    def _paged(self, request: Request, found: list[Comment], render: Any) -> Response:
        per_page, page = int(request.query.get("per_page") or 10), int(request.query.get("page") or 1)
        if not 1 <= per_page <= 100:
            return wp_error("rest_invalid_param", "Invalid parameter(s): per_page", 400)
        pages = math.ceil(len(found) / per_page)
        if page > max(pages, 1):
            return wp_error("rest_comment_invalid_page_number", "The page number requested is larger than the "
                            "number of pages available.", 400)  # fmt: skip
        chunk = found[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)}
        if page < pages:
            link = self.api_link(_route_of(request))
            headers["Link"] = f'<{link}{"&" if "?" in link else "?"}page={page + 1}>; rel="next"'
        return json_response([render(c) for c in chunk], 200, **headers)

    def _get_post(self, request: Request, route: str) -> Response:
        post = self.posts.get(_last_int(route))
        if post is None or post.type == "product":
            return wp_error("rest_post_invalid_id", "Invalid post ID.", 404)
        if post.id in self.private_posts:
            return wp_error("rest_forbidden", "Sorry, you are not allowed to do that.", 401)
        body = {"id": post.id, "date_gmt": wp_time(T0 - timedelta(days=3)), "slug": post.slug, "status": "publish",
                "type": post.type, "link": post.link, "title": {"rendered": html.escape(post.title, quote=False)},
                "author": post.author, "comment_status": post.comment_status,
                "content": {"rendered": "<p>Contenido</p>\n", "protected": False}}  # fmt: skip
        return json_response(_fields(body, request.query.get("_fields")))

    def _get_product(self, request: Request, route: str) -> Response:
        if not self._shop_key(request):
            return wp_error("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", 401)
        post = self.posts.get(_last_int(route))
        if post is None or post.type != "product":
            return wp_error("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
        body = {
            "id": post.id,
            "name": post.title,
            "slug": post.slug,
            "permalink": post.link,
            "type": "simple",
        }
        return json_response(_fields(body, request.query.get("_fields")))

    def _create_comment(self, request: Request, route: str) -> Response:
        user = self._user(request)
        if user is None:
            return self._bad_password()
        if not user:
            return wp_error("rest_comment_login_required", "Sorry, you must be logged in to comment.", 401)
        data = request.json()
        post = self.posts.get(int(data.get("post") or 0))
        if post is None:
            return wp_error("rest_comment_invalid_post_id", "Sorry, you are not allowed to create this comment "
                            "without a post.", 403)  # fmt: skip
        if self.refuse_replies is not None and post.type == "product":
            return self.refuse_replies
        if post.comment_status == "closed":
            return wp_error("rest_comment_closed", "Sorry, comments are closed for this item.", 403)
        if any(
            c.post == post.id and c.author == user and c.text == data["content"]
            for c in self.comments.values()
        ):
            return wp_error("comment_duplicate", "Duplicate comment detected; it looks as though you’ve already "
                            "said that!", 409)  # fmt: skip
        new = self.add_comment(post.id, data["content"], self.now, user, parent=int(data.get("parent") or 0))
        body = self._render_comment(self.comments[new])
        return Response(201, body=body, headers={"Location": self.api_link(f"/wp/v2/comments/{new}")})

    # -- rendering ----------------------------------------------------------------------------

    def _render_comment(self, c: Comment) -> dict[str, Any]:
        post = self.posts[c.post]
        links: dict[str, Any] = {
            "self": [{"href": self.api_link(f"/wp/v2/comments/{c.id}")}],
            "collection": [{"href": self.api_link("/wp/v2/comments")}],
            "up": [{"embeddable": True, "post_type": post.type,
                    "href": self.api_link(f"/wp/v2/{'pages' if post.type == 'page' else 'posts'}/{post.id}")}],
        }  # fmt: skip
        if c.parent:
            links["in-reply-to"] = [
                {"embeddable": True, "href": self.api_link(f"/wp/v2/comments/{c.parent}")}
            ]
        body = {
            "id": c.id, "post": c.post, "parent": c.parent, "author": c.author, "author_name": c.author_name,
            "author_url": "", "date": wp_time(c.at + SITE_OFFSET), "date_gmt": wp_time(c.at),
            "content": {"rendered": rendered(c.text)}, "link": f"{post.link}#comment-{c.id}",
            "status": "approved", "type": c.type,
            "author_avatar_urls": {"24": "https://secure.gravatar.com/avatar/0?s=24&d=mm&r=g"},
            "meta": [], "_links": links,
        }  # fmt: skip
        return _override(body, c.extra)

    def _render_review(self, c: Comment) -> dict[str, Any]:
        product = self.posts[c.post]
        body: dict[str, Any] = {
            "id": c.id, "date_created": wp_time(c.at + SITE_OFFSET), "date_created_gmt": wp_time(c.at),
            "product_id": c.post, "product_name": product.title, "product_permalink": product.link,
            "status": "approved", "reviewer": c.author_name, "reviewer_email": "cliente@example.com",
            "review": rendered(c.text), "rating": c.rating, "verified": c.verified,
            "reviewer_avatar_urls": {"24": "https://secure.gravatar.com/avatar/0?s=24&d=mm&r=g"},
            "_links": {"self": [{"href": self.api_link(f"/wc/v3/products/reviews/{c.id}")}],
                       "up": [{"href": self.api_link(f"/wc/v3/products/{c.post}")}]},
        }  # fmt: skip
        if self.legacy_reviews:
            body.pop("product_name")
            body.pop("product_permalink")
        return _override(body, c.extra)


def _slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:40]


def _route_of(request: Request) -> str:
    if request.path.startswith("/wp-json"):
        return request.path[len("/wp-json") :]
    return request.query.get("rest_route", "")


def _in(wanted: str | None, value: int) -> bool:
    """WordPress list parameters: ``post=1,2`` matches either; absent matches all."""
    return not wanted or str(value) in {v.strip() for v in wanted.split(",")}


def _last_int(route: str) -> int:
    try:
        return int(route.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        return 0


def _fields(body: dict[str, Any], fields: str | None) -> dict[str, Any]:
    if not fields:
        return body
    wanted = set(fields.split(","))
    return {k: v for k, v in body.items() if k in wanted}


def _override(body: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body
