"""A fake Meta Graph API on FakeServer: one Facebook Page and one Instagram business account.

It speaks the real shapes (see ../shared/fixtures/graph): ``{"data": [...], "paging": {"cursors":
{"before", "after"}, "next": <absolute URL with the token in it>}}``, ``filter=stream`` comments
flattened with ``parent{id}``, ``comments.summary`` on posts, nested Instagram ``replies``, Graph error
bodies (190 expired token, throttling codes with usage headers), and it counts calls per edge.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.server import FakeServer, Request, Response, json_response

VERSION = "v26.0"
PATH = r"(?:/v\d+\.\d+)?/(?P<id>[^/]+)(?:/(?P<edge>[a-z_]+))?"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@contextmanager
def graph_server() -> Iterator[FakeGraph]:
    """A running FakeGraph on a FakeServer tuned for speed (until FakeServer itself does this)."""
    server = FakeServer()
    # Headers and body go out in two writes: without TCP_NODELAY each response waits ~40 ms for an ACK;
    # and serve_forever's default 0.5 s poll makes every shutdown take half a second.
    server._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
    server._thread = threading.Thread(
        target=server._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    with server:
        yield FakeGraph(server)


def graph_time(when: datetime) -> str:
    """A time as Graph writes it: ``2026-03-02T09:00:00+0000``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def graph_error(
    code: int,
    message: str,
    status: int = 400,
    subcode: int | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A Graph error body as the platform sends it."""
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf123",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return Response(status=status, body={"error": error}, headers=dict(headers or {}))


def usage_headers(percent: int, regain_minutes: int = 0, business: str = "104729112345678",
                  kind: str = "pages") -> dict[str, str]:  # fmt: skip
    """``X-App-Usage`` and ``X-Business-Use-Case-Usage`` headers at ``percent``."""
    app = {"call_count": percent, "total_cputime": percent // 2, "total_time": percent // 3}
    buc = {
        business: [
            {
                "type": kind,
                "call_count": percent,
                "total_cputime": percent // 2,
                "total_time": percent // 3,
                "estimated_time_to_regain_access": regain_minutes,
            }
        ]
    }
    return {"X-App-Usage": json.dumps(app), "X-Business-Use-Case-Usage": json.dumps(buc)}


@dataclass
class Node:
    """A post, media or comment the fake holds; rendered to Graph JSON on the way out."""

    id: str
    kind: str  # post | comment | media | ig_comment
    text: str
    at: datetime
    author: tuple[str, str] | None = None  # (id, name or username)
    parent: str | None = None  # comment replied to; for top-level comments, None
    object: str | None = None  # the post or media the comment is on
    hidden: bool = False
    product_type: str = "FEED"
    tagged: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # fields to change when rendered; None drops one


class FakeGraph:
    """The Graph API for a Page and an IG account; tests add content, then point a collector at ``base_url``."""

    def __init__(self, server: FakeServer, token: str = "EAAG-page-token-SECRET") -> None:
        self.server = server
        self.token = token
        self.page_id, self.page_name = "104729112345678", "Tienda Luna"
        self.ig_id, self.ig_username = "17841400000000001", "tiendaluna"
        self.nodes: dict[str, Node] = {}
        self.now = T0 + timedelta(days=1)  # created_time of comments posted through the API
        self.usage, self.regain = 0, 0
        self.expired = False
        self.throttles: list[Response] = []
        self.nested_limit = 25
        self._ids = itertools.count(900000000000001)
        server.route("GET", PATH, self._guard(self._get))
        server.route("POST", PATH, self._guard(self._post))

    @property
    def base_url(self) -> str:
        """The base URL a source uses to reach this fake (with the pinned version)."""
        return f"{self.server.url}/{VERSION}"

    # -- building content ---------------------------------------------------------------------

    def add_post(self, message: str, at: datetime, author: tuple[str, str] | None = None) -> str:
        """A post on the Page's feed (by the Page unless ``author`` is a visitor)."""
        node = Node(f"{self.page_id}_{next(self._ids)}", "post", message, at, author or self.page)
        self.nodes[node.id] = node
        return node.id

    def add_comment(self, on: str, message: str, at: datetime, author: tuple[str, str] = ("5550001", "Ana Ruiz"),
                    hidden: bool = False) -> str:  # fmt: skip
        """A comment on a post, or a reply when ``on`` is a comment (replies to replies join the top level)."""
        target = self.nodes[on]
        parent = None if target.kind == "post" else (target.parent or target.id)
        post = target.id if target.kind == "post" else str(target.object)
        node = Node(
            f"{post.split('_')[-1]}_{next(self._ids)}", "comment", message, at, author, parent, post, hidden
        )
        self.nodes[node.id] = node
        return node.id

    def page_reply(self, on: str, message: str, at: datetime) -> str:
        """A reply written by the Page itself (e.g. in Meta Business Suite)."""
        return self.add_comment(on, message, at, author=self.page)

    def add_media(self, caption: str, at: datetime, product_type: str = "FEED", tagged: bool = False) -> str:
        """A media of the IG account (or, with ``tagged``, someone else's media that tags it)."""
        node = Node(str(next(self._ids) + 17000000000000000), "media", caption, at,
                    ("17841499999999999", "fan.de.luna") if tagged else self.account, product_type=product_type,
                    tagged=tagged)  # fmt: skip
        self.nodes[node.id] = node
        return node.id

    def add_ig_comment(self, on: str, text: str, at: datetime, author: tuple[str, str] = ("17841411111111111", "ana.ruiz"),
                       hidden: bool = False) -> str:  # fmt: skip
        """A comment on a media, or a reply when ``on`` is a comment (replies to replies join the top level)."""
        target = self.nodes[on]
        parent = None if target.kind == "media" else (target.parent or target.id)
        media = target.id if target.kind == "media" else str(target.object)
        node = Node(
            str(next(self._ids) + 18000000000000000), "ig_comment", text, at, author, parent, media, hidden
        )
        self.nodes[node.id] = node
        return node.id

    @property
    def page(self) -> tuple[str, str]:
        """The Page as a ``from``."""
        return (self.page_id, self.page_name)

    @property
    def account(self) -> tuple[str, str]:
        """The IG account as a ``from``."""
        return (self.ig_id, self.ig_username)

    def throttle(self, code: int = 80001, regain_minutes: int = 7, times: int = 1) -> None:
        """The next ``times`` requests are refused with a throttling error and 100 % usage headers."""
        headers = usage_headers(100, regain_minutes, self.page_id)
        for _ in range(times):
            self.throttles.append(graph_error(code, "(#80001) There have been too many calls to this Page account. "
                                              "Wait a bit and try again.", 400, headers=headers))  # fmt: skip

    def calls(self, method: str = "GET", edge: str | None = None) -> list[Request]:
        """Requests received, optionally only those to one edge (``comments``, ``feed``, ``replies`` ...)."""
        return [r for r in self.server.calls(method) if edge is None or r.path.endswith(f"/{edge}")]

    # -- answering ------------------------------------------------------------------------------

    def _guard(self, handler: Any) -> Any:
        def guarded(request: Request) -> Response:
            token = request.query.get("access_token") or request.form().get("access_token")
            if self.expired or token != self.token:
                return graph_error(190, "Error validating access token: Session has expired on Sunday, "
                                   "01-Mar-26 09:00:00 PST.", 400, subcode=463)  # fmt: skip
            response = self.throttles.pop(0) if self.throttles else handler(request)
            response.headers = {**usage_headers(self.usage, self.regain, self.page_id), **response.headers}
            return response

        return guarded

    def _get(self, request: Request) -> Response:
        node_id, edge = request.match["id"], request.match["edge"]  # type: ignore[index]
        if node_id == self.page_id and edge in ("feed", "published_posts"):
            return self._listing(request, self._posts(edge), self._render_post)
        if node_id == self.ig_id and edge in ("media", "tags"):
            media = [n for n in self._ordered("media") if n.tagged == (edge == "tags")]
            return self._listing(request, media, self._render_media)
        node = self.nodes.get(node_id)
        if node is None:
            return self._missing(node_id)
        if edge == "comments":
            render = self._render_ig_comment if node.kind in ("media", "ig_comment") else self._render_comment
            return self._listing(request, self._comments(node, request), render, self._summary(node))
        if edge == "replies":
            return self._listing(request, self._ig_replies(node), self._render_ig_comment)
        return json_response(self._render(node))

    def _post(self, request: Request) -> Response:
        form, node_id, edge = request.form(), request.match["id"], request.match["edge"]  # type: ignore[index]
        if node_id not in self.nodes:
            return self._missing(node_id)
        if edge == "comments":
            return json_response({"id": self.page_reply(node_id, form["message"], self.now)})
        if edge == "replies":
            return json_response(
                {"id": self.add_ig_comment(node_id, form["message"], self.now, self.account)}
            )
        if "is_hidden" in form or "hide" in form:
            self.nodes[node_id].hidden = (form.get("is_hidden") or form.get("hide")) == "true"
            return json_response({"success": True})
        return graph_error(100, "(#100) Invalid parameter")

    def _missing(self, node_id: str) -> Response:
        return graph_error(100, f"Unsupported get request. Object with ID '{node_id}' does not exist, cannot be "
                           "loaded due to missing permissions, or does not support this operation.", 400, 33)  # fmt: skip

    def _ordered(self, kind: str, newest_first: bool = True) -> list[Node]:
        return sorted(
            (n for n in self.nodes.values() if n.kind == kind), key=lambda n: n.at, reverse=newest_first
        )

    def _posts(self, edge: str) -> list[Node]:
        posts = self._ordered("post")
        return posts if edge == "feed" else [p for p in posts if p.author == self.page]

    def _comments(self, node: Node, request: Request) -> list[Node]:
        newest = request.query.get("order") == "reverse_chronological"
        if node.kind == "comment":
            return [c for c in self._ordered("comment", newest) if c.parent == node.id]
        if node.kind == "media":
            return [c for c in self._ordered("ig_comment") if c.object == node.id and c.parent is None]
        stream = request.query.get("filter") == "stream"
        return [
            c
            for c in self._ordered("comment", newest)
            if c.object == node.id and (stream or c.parent is None)
        ]

    def _ig_replies(self, node: Node) -> list[Node]:
        return [c for c in self._ordered("ig_comment", newest_first=False) if c.parent == node.id]

    def _summary(self, node: Node) -> dict[str, Any] | None:
        if node.kind != "post":
            return None
        count = sum(1 for c in self.nodes.values() if c.kind == "comment" and c.object == node.id)
        return {"order": "chronological", "total_count": count, "can_comment": True}

    def _listing(self, request: Request, nodes: list[Node], render: Any, summary: Any = None) -> Response:
        """One page of an edge with cursor paging; ``next`` is absent on the last page, as on Graph."""
        limit = int(request.query.get("limit") or 25)
        start = int(base64.b64decode(request.query["after"]).decode()) if request.query.get("after") else 0
        chunk = nodes[start : start + limit]
        body: dict[str, Any] = {"data": [render(n) for n in chunk]}
        if chunk:
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk))}}
            if start + len(chunk) < len(nodes):
                after = _cursor(start + len(chunk))
                body["paging"]["next"] = (f"https://graph.facebook.com/{VERSION}{request.path.split(VERSION)[-1]}"
                                          f"?access_token={self.token}&limit={limit}&after={after}")  # fmt: skip
        if summary is not None:
            body["summary"] = summary
        return json_response(body)

    def _render(self, node: Node) -> dict[str, Any]:
        renderers = {"post": self._render_post, "comment": self._render_comment, "media": self._render_media}
        return renderers.get(node.kind, self._render_ig_comment)(node)

    def _render_post(self, node: Node) -> dict[str, Any]:
        latest = max([node.at, *(c.at for c in self.nodes.values() if c.object == node.id)])
        return {"id": node.id, "message": node.text, "created_time": graph_time(node.at),
                "updated_time": graph_time(latest), "from": _from(node.author, "name"),
                "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{node.id.split('_')[1]}/",
                "comments": {"data": [], "summary": self._summary(node)}}  # fmt: skip

    def _render_comment(self, node: Node) -> dict[str, Any]:
        post_part = str(node.object).split("_")[1]
        link = (
            f"https://www.facebook.com/{self.page_id}/posts/{post_part}/?comment_id={node.parent or node.id}"
        )
        body: dict[str, Any] = {
            "id": node.id, "from": _from(node.author, "name"), "message": node.text,
            "created_time": graph_time(node.at), "like_count": 0, "is_hidden": node.hidden, "can_comment": True,
            "comment_count": sum(1 for c in self.nodes.values() if c.parent == node.id),
            "permalink_url": link + (f"&reply_comment_id={node.id}" if node.parent else ""),
        }  # fmt: skip
        if node.parent:
            body["parent"] = {"id": node.parent}
        return _override(body, node)

    def _render_media(self, node: Node) -> dict[str, Any]:
        count = sum(1 for c in self.nodes.values() if c.kind == "ig_comment" and c.object == node.id)
        body = {"id": node.id, "caption": node.text, "timestamp": graph_time(node.at), "comments_count": count,
                "like_count": 3, "media_type": "IMAGE", "media_product_type": node.product_type,
                "permalink": f"https://www.instagram.com/p/C{node.id[-8:]}/"}  # fmt: skip
        if node.tagged and node.author:
            body["username"] = node.author[1]
        return body

    def _render_ig_comment(self, node: Node) -> dict[str, Any]:
        media = self.nodes[str(node.object)]
        body: dict[str, Any] = {
            "id": node.id, "text": node.text, "timestamp": graph_time(node.at), "like_count": 0,
            "hidden": node.hidden, "from": _from(node.author, "username"), "username": (node.author or ("", ""))[1],
            "media": {"id": media.id, "media_product_type": media.product_type,
                      "permalink": f"https://www.instagram.com/p/C{media.id[-8:]}/"},
        }  # fmt: skip
        if node.parent:
            body["parent_id"] = node.parent
        else:
            replies = self._ig_replies(node)
            nested: dict[str, Any] = {
                "data": [self._render_ig_comment(r) for r in replies[: self.nested_limit]]
            }
            if len(replies) > self.nested_limit:
                nested["paging"] = {"cursors": {"after": _cursor(self.nested_limit)},
                                    "next": f"https://graph.facebook.com/{VERSION}/{node.id}/replies?after=x"}  # fmt: skip
            body["replies"] = nested
        return _override(body, node)


def _cursor(offset: int) -> str:
    return base64.b64encode(str(offset).encode()).decode()


def _from(author: tuple[str, str] | None, name_key: str) -> dict[str, str] | None:
    return {"id": author[0], name_key: author[1]} if author else None


def _override(body: dict[str, Any], node: Node) -> dict[str, Any]:
    body.update(node.extra)
    return {k: v for k, v in body.items() if v is not None}
