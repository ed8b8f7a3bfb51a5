"""Items with raw payloads shaped like each platform's JSON (small versions of the real responses)."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from social_listen.demo.catalog import LUNA
from social_listen.demo.config import DemoSource, site_host
from social_listen.demo.objects import Obj
from social_listen.demo.people import People
from social_listen.demo.plan import Conversation, Post
from social_listen.model import Author, Item, content_id

STARS = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}


def brand_author(source: DemoSource) -> Author:
    """The brand's own account on the source's platform (keyed as each collector keys it)."""
    luna = source.brand == LUNA
    name = source.brand
    by_site = {"wordpress": f"{site_host(source)}/?author=1", "woocommerce": f"{site_host(source)}/?author=1",
               "google_reviews": str(source.target), "trustpilot": f"business-unit:{source.target}",
               "web_comments": f"{site_host(source)}:{name}"}  # fmt: skip
    if source.platform in by_site:
        return Author(by_site[source.platform], f"Equipo {name}" if source.platform == "wordpress" else name)
    handle = {"x": "tiendaluna" if luna else "harborandpine", "instagram": "tiendaluna" if luna else "harborandpine",
              "youtube": "@tiendaluna"}.get(source.platform, "")  # fmt: skip
    ids = {"youtube": str(source.target), "facebook": str(source.target), "instagram": str(source.target),
           "x": "1480000000000000001" if luna else "1480000000000000002"}  # fmt: skip
    external_id = ids.get(source.platform, f"{source.platform}:{source.name}:staff")
    return Author(external_id, name, handle)


def _z(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _graph(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _wp_local(at: datetime) -> str:
    return at.astimezone(ZoneInfo("Europe/Madrid")).strftime("%Y-%m-%dT%H:%M:%S")


class Shaper:
    """Builds the Item for each post of a conversation."""

    def __init__(self, people: People, now: datetime) -> None:
        self.people = people
        self.now = now

    def item(self, conv: Conversation, post: Post) -> Item:
        """The normalized item a collector would produce for ``post``, with its raw payload."""
        source = conv.source
        author = self._author(source, post)
        obj = conv.obj
        fetched = min(post.at + timedelta(minutes=7), self.now)
        return Item(
            platform=source.platform, external_id=post.external_id, text=self._text(source, post), published_at=post.at,
            kind=post.kind, author=author, parent_external_id=post.parent, thread_external_id=post.thread,
            object_id=self._object_id(source, obj), object_title=obj.title if obj else None,
            object_url=obj.url if obj else None, is_own=post.person is None,
            rating=float(post.rating) if post.rating else None, like_count=post.likes, url=self._url(conv, post),
            updated_at=post.at if source.platform in ("google_reviews", "youtube") else None,
            reply_deadline_at=post.at + timedelta(days=7) if source.platform == "instagram" and post.person else None,
            can_reply=source.platform not in ("web_reviews", "web_comments", "file"),
            language=conv.person.language, raw=self._raw(conv, post, author), fetched_at=fetched,
        )  # fmt: skip

    def _author(self, source: DemoSource, post: Post) -> Author:
        if post.person is None:
            return brand_author(source)
        return self.people.author(post.person, source.platform, site_host(source))

    @staticmethod
    def _object_id(source: DemoSource, obj: Obj | None) -> str | None:
        if obj is None:
            return None
        if source.platform in ("wordpress", "woocommerce"):  # the post or product, as WordPress links it
            return f"{site_host(source)}/?p={obj.number or obj.id}"
        return obj.id

    @staticmethod
    def _text(source: DemoSource, post: Post) -> str:
        if (
            source.platform == "trustpilot" and post.title and post.person
        ):  # the collector joins title and text
            return f"{post.title}\n\n{post.text}"
        return post.text

    def _url(self, conv: Conversation, post: Post) -> str | None:
        platform, obj = conv.source.platform, conv.obj
        base = obj.url if obj else ""
        if platform == "youtube":
            return f"{base}&lc={post.external_id}"
        if platform == "facebook":
            return f"{base}/?comment_id={post.external_id.split('_')[-1]}"
        if platform == "instagram":
            return f"{base}c/{post.external_id}/"
        if platform == "x":
            handle = post.person.handle if post.person else brand_author(conv.source).handle
            return f"https://x.com/{handle}/status/{post.external_id}"
        if platform in ("wordpress", "woocommerce"):
            return f"{base}#comment-{_number(post.external_id)}"
        if platform == "trustpilot":
            return f"https://www.trustpilot.com/reviews/{conv.top.external_id}"
        if platform == "web_comments":
            return post.external_id
        return base or None

    def _raw(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        maker = getattr(self, f"_raw_{conv.source.platform}")
        raw: dict[str, Any] = maker(conv, post, author)
        return raw

    def _raw_youtube(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        snippet: dict[str, Any] = {
            "channelId": str(conv.source.target), "videoId": conv.obj.id if conv.obj else "",
            "authorDisplayName": author.handle or author.name, "authorChannelUrl": author.url,
            "authorChannelId": {"value": author.external_id}, "textDisplay": html.escape(post.text),
            "textOriginal": post.text, "canRate": True, "viewerRating": "none", "likeCount": post.likes,
            "publishedAt": _z(post.at), "updatedAt": _z(post.at),
        }  # fmt: skip
        if post.parent:
            snippet["parentId"] = post.parent
            return {"kind": "youtube#comment", "id": post.external_id, "snippet": snippet}
        replies = sum(1 for p in conv.posts if p.parent)
        comment = {"kind": "youtube#comment", "id": post.external_id, "snippet": snippet}
        return {"kind": "youtube#commentThread", "id": post.external_id,
                "snippet": {"channelId": str(conv.source.target), "videoId": snippet["videoId"],
                            "topLevelComment": comment, "canReply": True, "totalReplyCount": replies,
                            "isPublic": True}}  # fmt: skip

    def _raw_facebook(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "id": post.external_id, "message": post.text, "created_time": _graph(post.at),
            "from": {"id": author.external_id, "name": author.name}, "like_count": post.likes,
            "comment_count": 0 if post.parent else sum(1 for p in conv.posts if p.parent),
            "permalink_url": self._url(conv, post), "is_hidden": False,
        }  # fmt: skip
        if post.parent:
            raw["parent"] = {"id": post.parent}
        return raw

    def _raw_instagram(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "id": post.external_id, "text": post.text, "timestamp": _graph(post.at), "username": author.handle,
            "like_count": post.likes, "from": {"id": author.external_id, "username": author.handle},
            "media": {"id": conv.obj.id if conv.obj else "", "media_product_type": "FEED"}, "hidden": False,
        }  # fmt: skip
        if post.parent:
            raw["parent_id"] = post.parent
        return raw

    def _raw_x(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "id": post.external_id, "text": post.text, "author_id": author.external_id,
            "created_at": post.at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "conversation_id": post.thread,
            "edit_history_tweet_ids": [post.external_id], "lang": conv.person.language,
            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": post.likes, "quote_count": 0},
        }  # fmt: skip
        if post.parent:
            raw["referenced_tweets"] = [{"type": "replied_to", "id": post.parent}]
            parent = next((p for p in conv.posts if p.external_id == post.parent), None)
            if parent is not None:
                who = (
                    brand_author(conv.source)
                    if parent.person is None
                    else self.people.author(parent.person, "x")
                )
                raw["in_reply_to_user_id"] = who.external_id
        return raw

    def _wp_comment(self, conv: Conversation, post: Post, author: Author, post_id: str) -> dict[str, Any]:
        staff = post.person is None
        return {
            "id": _number(post.external_id), "post": int(post_id), "parent": _number(post.parent or "#0"),
            "author": 1 if staff else 0, "author_name": author.name, "author_url": "",
            "date": _wp_local(post.at), "date_gmt": post.at.strftime("%Y-%m-%dT%H:%M:%S"),
            "content": {"rendered": f"<p>{html.escape(post.text)}</p>\n"}, "link": self._url(conv, post),
            "status": "approved", "type": "comment",
        }  # fmt: skip

    def _raw_wordpress(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        return self._wp_comment(conv, post, author, conv.obj.number if conv.obj else "0")

    def _raw_woocommerce(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        product_id = conv.obj.id if conv.obj else "0"
        if post.person is None:  # the shop's answer is a plain WordPress comment under the review
            return self._wp_comment(conv, post, author, product_id)
        return {
            "id": _number(post.external_id), "date_created": _wp_local(post.at),
            "date_created_gmt": post.at.strftime("%Y-%m-%dT%H:%M:%S"), "product_id": int(product_id),
            "product_name": conv.obj.title if conv.obj else "", "product_permalink": conv.obj.url if conv.obj else "",
            "status": "approved", "reviewer": author.name, "reviewer_email": f"{post.person.handle}@example.com",
            "review": f"<p>{html.escape(post.text)}</p>\n", "rating": post.rating,
            "verified": post.person.key % 5 != 0,
        }  # fmt: skip

    def _raw_google_reviews(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        reply = next((p for p in conv.posts if p.person is None), None)
        if post.person is None:
            return {"comment": post.text, "updateTime": _z(post.at)}
        raw: dict[str, Any] = {
            "name": post.external_id, "reviewId": post.external_id.rsplit("/", 1)[-1],
            "reviewer": {"displayName": author.name, "isAnonymous": False}, "starRating": STARS[post.rating or 5],
            "comment": post.text, "createTime": _z(post.at), "updateTime": _z(post.at),
        }  # fmt: skip
        if reply is not None:
            raw["reviewReply"] = {"comment": reply.text, "updateTime": _z(reply.at)}
        return raw

    def _raw_trustpilot(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        if post.person is None:  # the review's companyReply, kept as the reply item's raw
            return {
                "text": post.text,
                "createdAt": _z(post.at),
                "authorBusinessUserId": "5f0c1d2e3a4b5c6d7e8f0001",
            }
        raw: dict[str, Any] = {
            "id": post.external_id, "stars": post.rating, "title": post.title, "text": post.text,
            "language": conv.person.language, "createdAt": _z(post.at), "updatedAt": None,
            "consumer": {"id": author.external_id, "displayName": author.name},
            "businessUnit": {"id": str(conv.source.target)}, "status": "active", "numberOfLikes": post.likes,
        }  # fmt: skip
        return raw

    def _raw_web_reviews(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        return {
            "@context": "https://schema.org", "@type": "Review",
            "author": {"@type": "Person", "name": author.name}, "datePublished": post.at.date().isoformat(),
            "reviewBody": post.text, "name": post.title,
            "reviewRating": {"@type": "Rating", "ratingValue": post.rating, "bestRating": 5, "worstRating": 1},
            "itemReviewed": {"@type": "Product", "name": conv.obj.title if conv.obj else ""},
        }  # fmt: skip

    def _raw_web_comments(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        classes = ["comment", "bypostauthor"] if post.person is None else ["comment"]
        return {
            "comment_id": post.external_id.rsplit("#", 1)[-1], "author": author.name,
            "date": _wp_local(post.at), "text_html": f"<p>{html.escape(post.text)}</p>",
            "classes": classes + [f"depth-{2 if post.parent else 1}"], "parent": post.parent,
            "page": conv.obj.url if conv.obj else "",
        }  # fmt: skip

    def _raw_file(self, conv: Conversation, post: Post, author: Author) -> dict[str, Any]:
        local = post.at.astimezone(ZoneInfo("Europe/Madrid"))
        person = post.person
        return {
            "id": post.external_id, "fecha": local.strftime("%d/%m/%Y %H:%M"), "nombre": author.name,
            "email": f"{person.handle}@example.com" if person else "", "asunto": SUBJECTS.get(conv.intent, "Consulta"),
            "mensaje": post.text,
        }  # fmt: skip


def _number(external_id: str) -> int:
    """The site's own number in an id like ``blog.tienda-luna.example#4118``."""
    return int(external_id.rsplit("#", 1)[-1])


SUBJECTS = {
    "not_received": "Pedido no recibido", "return_refund": "Devolución / cambio", "invoice": "Factura",
    "payment": "Pago", "shipping": "Envíos", "defective": "Producto defectuoso", "size_fit": "Tallas",
    "stock": "Disponibilidad", "no_response": "Sin respuesta", "discount": "Código descuento", "spam": "Colaboración",
}  # fmt: skip


def snapshot_item(
    source: DemoSource, obj: Obj, at: datetime, rating: float, ratings: int, reviews: int
) -> Item:
    """A crawl's aggregate rating of a product page: one own ``post`` per page and day (the trends series)."""
    day = at.date().isoformat()
    text = f"Aggregate rating {rating:g}/5 for {obj.title} ({ratings} ratings, {reviews} reviews)"
    raw = {"page_url": obj.url, "object_id": obj.id, "object_title": obj.title, "rating": rating,
           "rating_count": ratings, "review_count": reviews}  # fmt: skip
    return Item(
        platform=source.platform, external_id=f"agg:{content_id(obj.id)[2:]}:{day}", text=text, published_at=at,
        kind="post", object_id=obj.id, object_title=obj.title, object_url=obj.url, is_own=True, rating=rating,
        url=obj.url, can_reply=False, raw=raw, fetched_at=at,
    )  # fmt: skip
