"""WordPress blog comments over the REST API: collect them, see the staff's replies, reply as staff.

Listing follows platforms.md §5a: ``/wp/v2/comments?orderby=date_gmt&order=asc&after=...`` paged by the
``X-WP-TotalPages`` header. The REST root is discovered from the site (``Link`` header or ``<link
rel="https://api.w.org/">``), falling back to ``?rest_route=`` for sites without pretty permalinks.
A comment by a staff user (``staff_user_ids``, the post's author, or the Application Password's own
user) is the brand's and answers its parent. Replies are posted with an Application Password (HTTP
Basic; core since WP 5.6). Docs: https://developer.wordpress.org/rest-api/reference/comments/
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from collectors.base import RetryPolicy, SourceContext, text_or_none
from collectors.rest import (
    CLIENT_OPTIONS,
    Auth,
    RestClient,
    build_http,
    dict_at,
    html_text,
    iso_z,
    latest,
    list_at,
    option_ids,
    rebase,
    rest_error,
    time_or_none,
)
from social_listen.errors import (
    AuthError,
    PlatformError,
    RateLimited,
    ReplyNotAllowed,
    UncertainDelivery,
)
from social_listen.model import Author, Item, Page, PostedReply, ReplyRequest, utcnow

log = logging.getLogger(__name__)
PLATFORM = "wordpress"
API_REL = "https://api.w.org/"
PER_PAGE = 100  # the REST API's maximum
# Options read by site_for and staff_of, which the woocommerce collector shares.
SITE_OPTIONS = frozenset({"rest_root", "staff_user_ids"}) | CLIENT_OPTIONS
# The [sources.options] keys a wordpress source understands (collectors.option_problems reports others).
OPTIONS = frozenset({"overlap_minutes", "page_size", "backfill_days"}) | SITE_OPTIONS
POST_FIELDS = "id,author,title,link,comment_status"
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def wordpress_error(response: httpx.Response, platform: str = PLATFORM) -> PlatformError:
    """Map ``{"code", "message", "data": {"status"}}``; a refused login names the credentials to check."""
    error = rest_error(response, platform)
    if not isinstance(error, AuthError):
        return error
    if "/wc/" in str(response.request.url):
        return AuthError(f"{error} (check credentials.consumer_key and consumer_secret: a WooCommerce REST key "
                         "with read access; on hosts that drop the Authorization header set options.auth_in_query)")  # fmt: skip
    return AuthError(
        f"{error} (check credentials.username and credentials.app_password, an Application Password)"
    )


def api_link(response: httpx.Response) -> str | None:
    """The REST root a WordPress page announces: ``Link: <...>; rel="https://api.w.org/"`` or ``<link>``."""
    for link in response.headers.get_list("link", split_commas=True):
        match = re.match(r'\s*<([^>]+)>\s*;.*rel="?' + re.escape(API_REL), link)
        if match:
            return match.group(1)
    for tag in _LINK_TAG.findall(response.text):
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR.findall(tag)}
        if attrs.get("rel") == API_REL and attrs.get("href"):
            return str(attrs["href"])
    return None


@dataclass(frozen=True)
class RestRoot:
    """Where a site's REST API lives: ``https://site/wp-json/`` or ``https://site/?rest_route=/``."""

    url: str

    def route(self, path: str) -> tuple[str, dict[str, str]]:
        """The URL and query parameters that reach ``path`` (e.g. ``/wp/v2/comments``) under this root."""
        if "rest_route=" in self.url:
            return self.url.split("?", 1)[0], {"rest_route": path}
        return self.url.rstrip("/") + path, {}


@dataclass(frozen=True)
class PostInfo:
    """What a comment is on: a post, page or product, with its author (a staff member)."""

    id: int
    author: int | None = None
    title: str | None = None
    link: str | None = None
    comments_open: bool = True


@dataclass
class WordPressSite:
    """One site's REST API: discovery, paged lists, post lookups, the current user, new comments."""

    client: RestClient
    site_url: str
    base_url: str | None = None
    auth: Auth = None
    rest_root: str | None = None
    query: dict[str, str] = field(default_factory=dict)  # WooCommerce keys when sent as query parameters
    _root: RestRoot | None = None
    _posts: dict[int, PostInfo] = field(default_factory=dict)

    @property
    def host(self) -> str:
        """The site's host and path (``luna.example/blog``): namespaces ids, since WP ids are per site."""
        parts = urlsplit(self.site_url if "//" in self.site_url else f"//{self.site_url}")
        return (parts.netloc + parts.path).rstrip("/").lower()

    def root(self) -> RestRoot:
        """The REST root: the ``rest_root`` option, else discovered from the site's home page (once)."""
        if self._root is None:
            self._root = RestRoot(self.rest_root or self._discover())
        return self._root

    def _discover(self) -> str:
        try:
            response = self.client.get(rebase(self.site_url, self.base_url), headers={"Accept": "text/html"})
        except PlatformError as exc:
            if exc.retryable:
                raise
            log.warning("%s: home page refused (%s); trying ?rest_route=", self.host, exc)
            return self.site_url.rstrip("/") + "/?rest_route=/"
        found = api_link(response)
        if not found:
            log.info("%s announces no REST root; using ?rest_route= (plain permalinks)", self.host)
        return found or self.site_url.rstrip("/") + "/?rest_route=/"

    def get(self, route: str, params: dict[str, Any] | None = None, expect: type | None = None,
            absolute: str | None = None) -> tuple[Any, httpx.Headers]:  # fmt: skip
        """GET a route (or an ``absolute`` API link from a ``_links`` entry) with the site's auth."""
        url, extra = split_query(absolute) if absolute else self.root().route(route)
        query = {**extra, **self.query, **(params or {})}
        return self.client.fetch(rebase(url, self.base_url), query, expect, auth=self.auth)

    def pages(self, route: str, params: dict[str, Any]) -> Iterator[list[Any]]:
        """Each page of a collection, following ``X-WP-TotalPages`` (WP answers 400 past the last page)."""
        page = 1
        while True:
            body, headers = self.get(route, {**params, "page": page}, expect=list)
            yield body
            if not body or page >= _int(headers.get("x-wp-totalpages"), 1):
                return
            page += 1

    def post(self, raw_comment: dict[str, Any]) -> PostInfo:
        """The post a comment is on, read once per run; a hidden or missing post gives what is known."""
        post_id = _int(raw_comment.get("post"), 0)
        if post_id not in self._posts:
            self._posts[post_id] = self._read_post(post_id, _up_link(raw_comment))
        return self._posts[post_id]

    def _read_post(self, post_id: int, href: str | None) -> PostInfo:
        try:
            body, _ = self.get(f"/wp/v2/posts/{post_id}", {"_fields": POST_FIELDS}, dict, absolute=href)
        except PlatformError as exc:
            if exc.retryable:
                raise
            log.warning(
                "%s: cannot read post %s (%s); its author is not taken as staff", self.host, post_id, exc
            )
            return PostInfo(post_id)
        return PostInfo(
            id=post_id, author=_int(body.get("author"), 0) or None,
            title=html_text(_rendered(body.get("title"))) or None, link=text_or_none(body.get("link")),
            comments_open=body.get("comment_status") != "closed",
        )  # fmt: skip

    def current_user_id(self) -> int | None:
        """The id of the Application Password's user (it writes our replies), or None without one."""
        if self.auth is None:
            return None
        try:
            body, _ = self.get("/wp/v2/users/me", {"_fields": "id"}, dict)
        except PlatformError as exc:
            if exc.retryable or isinstance(exc, AuthError):
                raise
            log.warning("%s: cannot read /wp/v2/users/me (%s); list the replying user in staff_user_ids",
                        self.host, exc)  # fmt: skip
            return None
        return _int(body.get("id"), 0) or None

    def create_comment(self, post: int, parent: int, text: str, on_error: Callable[[httpx.Response], PlatformError]
                       ) -> dict[str, Any]:  # fmt: skip
        """``POST /wp/v2/comments {post, parent, content}``: sent once (201 + the new comment)."""
        url, extra = self.root().route("/wp/v2/comments")
        response = self.client.write("POST", rebase(url, self.base_url), {"post": post, "parent": parent,
                                     "content": text}, on_error=on_error, params=extra, auth=self.auth)  # fmt: skip
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("id"):
            raise UncertainDelivery(f"{self.host} accepted the reply but sent no comment id back; "
                                    "the next collection confirms it")  # fmt: skip
        return body

    def comment_id(self, value: Any) -> str:
        """Our id for a comment of this site: ``luna.example#123``."""
        return f"{self.host}#{value}"


def split_query(url: str) -> tuple[str, dict[str, str]]:
    """A link's URL and its query parameters apart (httpx replaces a URL's query when given params)."""
    parts = urlsplit(url)
    return parts._replace(query="").geturl(), dict(parse_qsl(parts.query, keep_blank_values=True))


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _rendered(value: Any) -> str:
    """``{"rendered": "..."}`` fields (title, content) as their HTML string."""
    return str(value.get("rendered") or "") if isinstance(value, dict) else str(value or "")


def _up(raw: Any) -> dict[str, Any]:
    """The ``_links.up`` entry of a comment: the post it is on (``href``, ``post_type``)."""
    up = list_at(dict_at(raw, "_links"), "up")
    return up[0] if up and isinstance(up[0], dict) else {}


def _up_link(raw: dict[str, Any]) -> str | None:
    """The API link of the post a comment is on: a post, page or product route."""
    href = _up(raw).get("href")
    return str(href) if href else None


def _post_type(raw: Any) -> str | None:
    """``post``, ``page``, ``product`` ... as the comment's ``_links.up`` says (None when absent)."""
    kind = _up(raw).get("post_type")
    return str(kind) if kind else None


@dataclass(frozen=True)
class Staff:
    """Who writes for the brand on a site: configured user ids and the replying user; post authors too."""

    user_ids: frozenset[int]

    def wrote(self, author: int, post: PostInfo | None) -> bool:
        """Whether a comment by user ``author`` (0 = a guest) on ``post`` is the brand's."""
        if author <= 0:
            return False
        return author in self.user_ids or (post is not None and post.author == author)


def staff_of(context: SourceContext, site: WordPressSite) -> Staff:
    """The configured ``staff_user_ids`` plus the Application Password's user, when there is one."""
    ids = set(option_ids(context.option("staff_user_ids")))
    me = site.current_user_id()
    if me:
        ids.add(me)
    return Staff(frozenset(ids))


def comment_item(raw: Any, site: WordPressSite, post: PostInfo | None, staff: Staff, platform: str = PLATFORM,
                 fetched_at: datetime | None = None) -> Item | None:  # fmt: skip
    """A ``/wp/v2/comments`` entry as an Item; None (logged) when it lacks an id or ``date_gmt``."""
    published = time_or_none(raw.get("date_gmt")) if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not raw.get("id") or published is None:
        log.warning("skipping a %s comment without id or date_gmt: %r", site.host,
                    sorted(raw) if isinstance(raw, dict) else type(raw).__name__)  # fmt: skip
        return None
    own_id, parent = site.comment_id(raw["id"]), _int(raw.get("parent"), 0)
    author = _int(raw.get("author"), 0)
    return Item(
        platform=platform, external_id=own_id, text=html_text(_rendered(raw.get("content"))),
        published_at=published, kind="reply" if parent else "comment", author=comment_author(raw, site),
        parent_external_id=site.comment_id(parent) if parent else None,
        thread_external_id=site.comment_id(parent) if parent else own_id,
        object_id=f"{site.host}/?p={raw.get('post')}", object_title=post.title if post else None,
        object_url=post.link if post else None, is_own=staff.wrote(author, post),
        url=text_or_none(raw.get("link")),
        can_reply=post.comments_open if post else True, raw=raw, fetched_at=fetched_at,
    )  # fmt: skip


def comment_author(raw: dict[str, Any], site: WordPressSite) -> Author:
    """A registered user by id (``site/?author=N``), a guest by name."""
    user = _int(raw.get("author"), 0)
    name = str(raw.get("author_name") or "")
    key = f"{site.host}/?author={user}" if user else f"{site.host}:guest:{name}"
    return Author(external_id=key, name=name, url=str(raw.get("author_url") or ""))


class WordPressCollector:
    """Collects a blog's comments oldest first from the last ``date_gmt`` seen (minus a small overlap)."""

    def __init__(
        self, context: SourceContext, site: WordPressSite, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.context, self.site, self.clock = context, site, clock
        self.overlap = timedelta(minutes=float(context.option("overlap_minutes", 10)))
        self.page_size = min(PER_PAGE, int(context.option("page_size", PER_PAGE)))
        backfill = context.option("backfill_days")
        self.backfill = timedelta(days=float(backfill)) if backfill else None

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of comments, each with the newest ``date_gmt`` committed so far as its cursor."""
        staff = staff_of(self.context, self.site)
        mark = time_or_none((cursor or {}).get("after"))
        params: dict[str, Any] = {"orderby": "date_gmt", "order": "asc", "per_page": self.page_size}
        after = self._after(mark)
        if after is not None:
            params["after"] = iso_z(after)
        for raws in self.site.pages("/wp/v2/comments", params):
            blog = [raw for raw in raws if _post_type(raw) != "product"]  # a woocommerce source reads those
            items = [i for i in (self.item(raw, staff) for raw in blog) if i is not None]
            mark = latest(mark, (i.published_at for i in items))
            yield Page(
                items, {"after": mark.isoformat()} if mark else None, api_calls=self.site.client.take_calls()
            )

    def _after(self, mark: datetime | None) -> datetime | None:
        if mark is not None:
            return mark - self.overlap
        return self.clock() - self.backfill if self.backfill else None

    def item(self, raw: Any, staff: Staff) -> Item | None:
        """One comment as an Item, with its post read (once) for the title, link and author."""
        post = self.site.post(raw) if isinstance(raw, dict) and raw.get("post") else None
        return comment_item(raw, self.site, post, staff, fetched_at=self.clock())


def reply_error(response: httpx.Response, answer_at: str | None, refusals: frozenset[int],
                platform: str = PLATFORM) -> PlatformError:  # fmt: skip
    """Map WordPress's answer to a new comment: duplicates, floods, refusals (answer on the site)."""
    error = wordpress_error(response, platform)
    code = _error_code(response)
    if response.status_code == 409 or code == "comment_duplicate":
        return UncertainDelivery(
            f"{error}: WordPress already has this exact reply (the next collection confirms it)"
        )
    if code == "comment_flood":
        return RateLimited(f"{error}: posting too fast", reset_at=datetime.now(UTC) + timedelta(minutes=1))
    if response.status_code in refusals:
        where = f"; answer it on the site: {answer_at}" if answer_at else ""
        return ReplyNotAllowed(f"{error}: the site refused the reply{where}", url=answer_at)
    return error


def _error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("code") or "") if isinstance(body, dict) else ""


class WordPressPublisher:
    """Posts a reply under the comment it answers, as the Application Password's user."""

    refusals = frozenset({400, 403})

    def __init__(self, site: WordPressSite) -> None:
        self.site = site

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """``POST /wp/v2/comments`` with the item's post and the item as parent; never retried on a timeout."""
        raw = reply.item_raw or {}
        post, parent = _int(raw.get("post"), 0), _int(raw.get("id"), 0)
        if not post or not parent:
            raise PlatformError(
                f"reply {reply.reply_id}: the item has no WordPress comment payload (post, id)"
            )
        link = raw.get("link")
        created = self.site.create_comment(post, parent, reply.text,
                                           lambda r: reply_error(r, link, self.refusals))  # fmt: skip
        return PostedReply(self.site.comment_id(created["id"]), url=created.get("link"),
                           posted_at=time_or_none(created.get("date_gmt")))  # fmt: skip


def site_for(
    context: SourceContext, retry: RetryPolicy | None = None, platform: str = PLATFORM
) -> WordPressSite:
    """The site of a source (target = its URL), authenticated with an Application Password when given."""
    get = context.credentials.get
    auth = (get("username", ""), get("app_password", "")) if get("username") and get("app_password") else None
    client = RestClient(
        build_http(context), platform, retry or RetryPolicy(), lambda r: wordpress_error(r, platform)
    )
    return WordPressSite(client, context.source.targets[0], context.source.base_url, auth,
                         context.option("rest_root"))  # fmt: skip


def create(context: SourceContext, retry: RetryPolicy | None = None) -> WordPressCollector:
    """The collector for a ``wordpress`` source (target = the site URL)."""
    return WordPressCollector(context, site_for(context, retry))


def create_publisher(context: SourceContext) -> WordPressPublisher:
    """The publisher; needs ``credentials.username`` and ``credentials.app_password``."""
    context.credential("username")
    context.credential("app_password")
    return WordPressPublisher(site_for(context))


__all__ = ["WordPressCollector", "WordPressPublisher", "WordPressSite", "create", "create_publisher"]
