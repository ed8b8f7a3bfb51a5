"""Blog comments from HTML: WordPress's comment markup by default, any theme through a CSS-selector profile.

WordPress's default walker (``wp_list_comments``) renders each comment as ``<li id="comment-N"
class="comment ... depth-D">`` with replies in a nested ``<ol class="children">``; comments written by
the post's author carry the ``bypostauthor`` class (https://developer.wordpress.org/reference/functions/
get_comment_class/). Comment ids are unique per site, so ids are namespaced by the site's host.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from collectors.web.records import WebRecord, clean_text, iso_time

WORDPRESS_ITEMS = '.comment[id^="comment-"]'
PAGINATION = (
    ".comment-navigation a[href], .comments-pagination a[href], .wp-block-comments-pagination a[href], "
    'a.page-numbers[href*="comment-page-"], a[href*="cpage="]'
)
_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?")
# Older and custom WordPress themes drop some classes; these are tried after the profile's selector.
WORDPRESS_FALLBACKS = {"text": (".comment-body",), "author": (".fn", ".comment-author cite")}


@dataclass(frozen=True)
class CommentProfile:
    """Where a theme puts each part of a comment (CSS selectors, relative to the comment element)."""

    item_selector: str = WORDPRESS_ITEMS
    text_selector: str = ".comment-content"
    author_selector: str = ".comment-author .fn"
    date_selector: str = "time, .comment-metadata a, .comment-meta a"
    link_selector: str = '.comment-metadata a[href], .comment-meta a[href], a[href*="#comment-"]'
    id_attribute: str = "id"
    parent_selector: str | None = None  # an enclosing comment element; default: the nearest item
    parent_attribute: str | None = None  # or an attribute holding the parent's id (e.g. data-parent)
    own_selector: str = ".bypostauthor"
    own_authors: tuple[str, ...] = ()
    exclude_selector: str = "script, style, svg, .reply, .comment-meta, .comment-metadata, .wprm-comment-rating"  # fmt: skip
    date_format: str | None = None
    pagination_selector: str = PAGINATION
    syntax: str = "wordpress"

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> CommentProfile:
        """The profile from a source's options; an ``item_selector`` switches from WordPress to custom."""
        known = {f.name for f in fields(cls)} - {"syntax"}
        chosen = {k: v for k, v in options.items() if k in known and v is not None}
        chosen["own_authors"] = tuple(str(a) for a in chosen.get("own_authors", ()))
        custom = "item_selector" in chosen and chosen["item_selector"] != WORDPRESS_ITEMS
        if custom:
            chosen.setdefault("text_selector", "")
            chosen.setdefault("exclude_selector", "script, style, svg")
        return cls(**chosen, syntax="css-profile" if custom else "wordpress")


@dataclass
class _Page:
    """What every comment on one page shares."""

    url: str
    host: str
    object_url: str
    object_title: str | None
    profile: CommentProfile
    items: list[Any] = field(default_factory=list)
    members: set[int] = field(default_factory=set)  # id() of every comment element, for ancestry tests


def extract(selector: Selector, page_url: str, profile: CommentProfile) -> Iterator[WebRecord]:
    """Every comment on the page, threaded: replies know their parent and the top of their thread."""
    page = _page(selector, page_url, profile)
    page.items = [s.root for s in selector.css(profile.item_selector)]
    page.members = {id(el) for el in page.items}
    ids = {id(el): _comment_id(el, page) for el in page.items}
    parents = {id(el): _parent_id(el, page, ids) for el in page.items}
    by_id = {str(ids[id(el)]): parents[id(el)] for el in page.items if ids[id(el)]}
    for element in page.items:
        record = _record(element, page, ids[id(element)], parents[id(element)])
        record.thread_external_id = thread_of(record.external_id, record.parent_external_id, by_id)
        yield record


def pagination_links(selector: Selector, profile: CommentProfile) -> list[str]:
    """Links to the post's other comment pages (``/comment-page-N/`` or ``?cpage=N``), not permalinks."""
    hrefs = selector.css(profile.pagination_selector).xpath("@href").getall()
    return [h for h in dict.fromkeys(hrefs) if "#comment-" not in h]


def _page(selector: Selector, url: str, profile: CommentProfile) -> _Page:
    canonical = selector.css('link[rel="canonical"]::attr(href)').get()
    title = (
        selector.css('meta[property="og:title"]::attr(content)').get()
        or selector.css("h1.entry-title, h1.wp-block-post-title, article h1").xpath("string()").get()
        or selector.css("title::text").get()
    )
    object_url = canonical.strip() if canonical else post_url(url)
    return _Page(url, urlsplit(url).hostname or "", object_url, clean_text(title) or None, profile)


def post_url(url: str) -> str:
    """The post's own URL from one of its comment pages: no ``cpage``, ``/comment-page-N/`` or fragment."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "cpage"])
    return urlunsplit((parts.scheme, parts.netloc, _COMMENT_PAGE.sub("/", parts.path), query, ""))


def _record(element: Any, page: _Page, own_id: str | None, parent: str | None) -> WebRecord:
    profile = page.profile
    author = clean_text(_field_text(element, _choices(profile, "author"), page))
    author_url = _field_attr(element, ".comment-author a[href], .url[href]", "href", page)
    return WebRecord(
        kind="reply" if parent else "comment", page_url=page.url, text=_body(element, page),
        author_name=author, author_url=author_url, published_at=_date(element, page),
        external_id=own_id, parent_external_id=parent, url=_permalink(element, page),
        object_id=page.object_url, object_title=page.object_title, object_url=page.object_url,
        is_own=_is_own(element, author, profile), syntax=profile.syntax,
        raw={"html_id": element.get(profile.id_attribute), "class": element.get("class")},
    )  # fmt: skip


def _comment_id(element: Any, page: _Page) -> str | None:
    value = (element.get(page.profile.id_attribute) or "").strip()
    return _namespaced(value, page) if value else None


def _namespaced(value: str, page: _Page) -> str:
    """Site-wide WordPress ids carry the host; a custom theme's ids may repeat per post, so the post."""
    if page.profile.syntax == "wordpress":
        return f"{page.host}#{value}"
    return f"{page.object_url}#{value}"


def _parent_id(element: Any, page: _Page, ids: dict[int, str | None]) -> str | None:
    profile = page.profile
    if profile.parent_attribute:
        value = (element.get(profile.parent_attribute) or "").strip()
        return _namespaced(value, page) if value and value != "0" else None
    wanted = _matcher(profile.parent_selector) if profile.parent_selector else None
    for ancestor in element.iterancestors():
        if id(ancestor) in page.members and (wanted is None or wanted(ancestor)):
            return ids.get(id(ancestor))
    return None


def thread_of(own: str | None, parent: str | None, parents: dict[str, str | None]) -> str | None:
    """The top comment of a reply's thread (itself for a top-level comment)."""
    top, seen = (parent or own), set()
    while top and parents.get(top) and top not in seen:
        seen.add(top)
        top = parents[top]
    return top


def _own_parts(element: Any, css: str, page: _Page) -> list[Any]:
    """Elements matching ``css`` inside this comment but not inside one of its replies."""
    if not css:
        return [element]
    found = []
    for match in Selector(root=element).css(css):
        nearest = next((a for a in match.root.iterancestors() if id(a) in page.members), None)
        if nearest is element:
            found.append(match.root)
    return found


def _choices(profile: CommentProfile, part: str) -> tuple[str, ...]:
    """The profile's selector for ``part``, then WordPress's fallbacks when reading WordPress markup."""
    chosen = (getattr(profile, f"{part}_selector"),)
    return chosen + WORDPRESS_FALLBACKS[part] if profile.syntax == "wordpress" else chosen


def _first_part(element: Any, choices: tuple[str, ...], page: _Page) -> Any:
    for css in choices:
        parts = _own_parts(element, css, page)
        if parts:
            return parts[0]
    return None


def _body(element: Any, page: _Page) -> str:
    part = _first_part(element, _choices(page.profile, "text"), page)
    if part is None:
        return ""
    body = copy.deepcopy(part)
    drop = page.profile.exclude_selector + ", " + page.profile.item_selector
    for unwanted in Selector(root=body).css(drop):
        if unwanted.root is not body and unwanted.root.getparent() is not None:
            unwanted.root.getparent().remove(unwanted.root)
    import html_text

    return clean_text(html_text.extract_text(body, guess_layout=True))


def _field_text(element: Any, choices: tuple[str, ...], page: _Page) -> str:
    part = _first_part(element, choices, page)
    return str(part.text_content()) if part is not None else ""


def _field_attr(element: Any, css: str, attribute: str, page: _Page) -> str | None:
    parts = _own_parts(element, css, page)
    return parts[0].get(attribute) if parts else None


def _date(element: Any, page: _Page) -> str | None:
    for part in _own_parts(element, page.profile.date_selector, page):
        for value in (part.get("datetime"), part.get("content"), part.get("title"), part.text_content()):
            parsed = iso_time(value, page.profile.date_format) if value else None
            if parsed:
                return parsed
    return None


def _permalink(element: Any, page: _Page) -> str:
    href = _field_attr(element, page.profile.link_selector, "href", page)
    if href and not href.startswith("#"):
        return urljoin(page.url, href.strip())
    anchor = (element.get(page.profile.id_attribute) or "").strip()
    return f"{page.object_url}#{anchor}" if anchor else page.url


def _is_own(element: Any, author: str, profile: CommentProfile) -> bool:
    if author and author.casefold() in {name.casefold() for name in profile.own_authors}:
        return True
    return bool(profile.own_selector) and _matcher(profile.own_selector)(element)


def _matcher(css: str) -> Callable[[Any], bool]:
    """A test of whether an element itself matches a CSS selector."""
    xpath = _self_xpath(css)
    return lambda element: bool(element.xpath(xpath))


@functools.lru_cache(maxsize=64)
def _self_xpath(css: str) -> str:
    return str(HTMLTranslator().css_to_xpath(css, prefix="self::"))
