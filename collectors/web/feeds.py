"""Comments from RSS 2.0 and Atom comment feeds (WordPress serves both at ``/<post>/feed/`` and ``/comments/feed/``).

WordPress's RSS comment feed has no threading; its Atom feed marks each entry with RFC 4685's
``<thr:in-reply-to ref=...>`` (the parent comment's guid ``...#comment-N``, or the post's guid for a
top-level comment): https://www.rfc-editor.org/rfc/rfc4685. Some plugins prefix RSS replies with
"In reply to <a href='...#comment-N'>", which is read as the parent when present.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from collectors.web.comments_html import CommentProfile, thread_of
from collectors.web.records import WebRecord, clean_text, iso_time

_COMMENT_ANCHOR = re.compile(r"#(comment-\d+)\s*$")
_IN_REPLY_TO = re.compile(
    r"^\s*(?:<p>)?\s*In reply to <a [^>]*href=['\"][^'\"]*#(comment-\d+)['\"][^>]*>.*?</a>\.?\s*(?:</p>)?",
    re.I | re.S,
)
_TITLE_PREFIXES = re.compile(r"^(?:Comments on:?|Comentarios en:?|Comments for)\s*", re.I)


def is_feed(body: bytes) -> bool:
    """Whether a response body is an RSS or Atom document rather than an HTML page."""
    head = body[:1024].lstrip().lower()
    if head.startswith(b"<?xml"):
        return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    return head.startswith((b"<rss", b"<feed"))


def extract(body: bytes, page_url: str, profile: CommentProfile) -> Iterator[WebRecord]:
    """Every comment in an RSS or Atom feed."""
    feed = Selector(body=body, type="xml")
    feed.remove_namespaces()
    host = urlsplit(page_url).hostname or ""
    title = _TITLE_PREFIXES.sub("", clean_text(feed.xpath("/*/channel/title/text() | /*/title/text()").get()))
    context = {"page_url": page_url, "host": host, "title": title or None, "profile": profile}
    records = [_rss_item(e, context) for e in feed.xpath("//item")]
    records += [_atom_entry(e, context) for e in feed.xpath("//entry")]
    parents = {r.external_id: r.parent_external_id for r in records if r.external_id}
    for record in records:
        record.thread_external_id = thread_of(record.external_id, record.parent_external_id, parents)
        yield record


def _rss_item(entry: Selector, context: dict[str, Any]) -> WebRecord:
    link = _text(entry, "link")
    content = _text(entry, "encoded") or _text(entry, "description")
    parent = _IN_REPLY_TO.search(content)
    author = clean_text(_text(entry, "creator") or _text(entry, "author"))
    return _record(
        context, syntax="rss", guid=_text(entry, "guid") or link, link=link, author=author,
        date=_text(entry, "pubDate") or _text(entry, "date"),
        text=_IN_REPLY_TO.sub("", content), parent=parent.group(1) if parent else None,
    )  # fmt: skip


def _atom_entry(entry: Selector, context: dict[str, Any]) -> WebRecord:
    link = entry.xpath("link[@rel='alternate' or not(@rel)]/@href").get() or ""
    reply_to = entry.xpath("in-reply-to/@ref").get() or ""
    anchor = _COMMENT_ANCHOR.search(reply_to)
    return _record(
        context, syntax="atom", guid=_text(entry, "id") or link, link=link,
        author=clean_text(entry.xpath("author/name/text()").get()),
        date=_text(entry, "published") or _text(entry, "updated"),
        text=_text(entry, "content") or _text(entry, "summary"), parent=anchor.group(1) if anchor else None,
        object_url=entry.xpath("in-reply-to/@href").get() if not anchor else None,
    )  # fmt: skip


def _record(context: dict[str, Any], *, syntax: str, guid: str, link: str, author: str, date: str,
            text: str, parent: str | None, object_url: str | None = None) -> WebRecord:  # fmt: skip
    profile: CommentProfile = context["profile"]
    own_id = _comment_id(guid, context["host"])
    post = object_url or (link.split("#", 1)[0] if link else None)
    return WebRecord(
        kind="reply" if parent else "comment", page_url=context["page_url"], text=clean_text(text),
        author_name=author, published_at=iso_time(date, profile.date_format), external_id=own_id,
        parent_external_id=f"{context['host']}#{parent}" if parent else None, url=link or None,
        object_id=post, object_title=context["title"], object_url=post,
        is_own=author.casefold() in {a.casefold() for a in profile.own_authors}, syntax=syntax,
        raw={"guid": guid, "link": link},
    )  # fmt: skip


def _comment_id(guid: str, host: str) -> str | None:
    """WordPress guids end in ``#comment-N``: the same id as the comment's HTML, so both sources agree."""
    anchor = _COMMENT_ANCHOR.search(guid)
    if anchor:
        return f"{host}#{anchor.group(1)}"
    return guid.strip() or None


def _text(entry: Selector, name: str) -> str:
    return str(entry.xpath(f"{name}").xpath("string()").get() or "").strip()
