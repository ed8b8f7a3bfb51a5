"""A fake X API v2 on FakeServer, speaking the real response shapes (see ../shared/fixtures/x).

Users, posts with Snowflake ids, ``GET /2/users/:id/mentions`` and ``/tweets`` (newest first, ``since_id``,
``pagination_token``, fields and ``author_id`` expansion), ``GET /2/users/by/username/:name``, and
``POST /2/tweets`` that refuses replies to authors who did not mention the brand (the 2026 rule).
Every answer carries the x-rate-limit-* headers.
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes.server import FakeServer, Request, Response, json_response

SNOWFLAKE_EPOCH_MS = 1288834974657
NOT_SUMMONED = ("Reply to this conversation is not allowed because you have not been mentioned or otherwise "
                "engaged by the author of the post you are replying to.")  # fmt: skip


def snowflake(at: datetime, sequence: int) -> str:
    """A post id for time ``at`` (as X makes them)."""
    millis = int(at.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS
    return str((millis << 22) | (sequence & 0x3FFFFF))


def problem(status: int, title: str, detail: str) -> Response:
    """An X v2 "problem" error body."""
    return json_response({"title": title, "detail": detail, "type": "about:blank", "status": status}, status)


def rate_limited(reset_in: float) -> Response:
    """The 429 X answers when a window is used up, with the epoch-seconds reset header."""
    reset = str(int(time.time() + reset_in))
    response = problem(429, "Too Many Requests", "Too Many Requests")
    response.headers.update(
        {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}
    )
    return response


@dataclass(repr=False)
class FakeX:
    """The fake platform; its routes are added to ``server`` on creation."""

    server: FakeServer
    brand_id: str = "1500000000000000001"
    brand_username: str = "TiendaLuna"
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[tuple[str, int], Response] = field(default_factory=dict)
    served: dict[str, int] = field(default_factory=dict)
    _seq: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.users[self.brand_id] = {"id": self.brand_id, "name": "Tienda Luna", "username": self.brand_username,
                                     "public_metrics": {"followers_count": 5400}}  # fmt: skip
        routes = [("GET", r"/2/users/by/username/(?P<username>\w+)", "user", self._user_by_name),
                  ("GET", r"/2/users/(?P<id>\d+)/mentions", "mentions", self._mentions),
                  ("GET", r"/2/users/(?P<id>\d+)/tweets", "tweets", self._timeline),
                  ("POST", r"/2/tweets", "create", self._create)]  # fmt: skip
        for method, pattern, name, handler in routes:
            self.server.route(method, pattern, self._counted(name, handler))

    def fail_call(self, endpoint: str, number: int, response: Response, times: int = 1) -> None:
        """Answer ``response`` to calls ``number`` .. ``number + times - 1`` of ``endpoint`` (e.g. "mentions")."""
        for n in range(number, number + times):
            self.failures[(endpoint, n)] = response

    def _counted(self, endpoint: str, handler: Any) -> Any:
        def serve(request: Request) -> Response:
            with self._lock:
                self.served[endpoint] = number = self.served.get(endpoint, 0) + 1
            return self.failures.get((endpoint, number)) or handler(request)

        return serve

    # -- building the world ----------------------------------------------------------------------

    def user(self, username: str, name: str | None = None, followers: int = 120) -> str:
        """A customer account; returns its id."""
        user_id = str(2000000000 + next(self._seq))
        self.users[user_id] = {"id": user_id, "name": name or username, "username": username,
                               "public_metrics": {"followers_count": followers}}  # fmt: skip
        return user_id

    def post(self, author_id: str, text: str, at: datetime, reply_to: str | None = None) -> str:
        """A post (a reply when ``reply_to`` is given); returns its id."""
        with self._lock:
            tweet_id = snowflake(at, next(self._seq))
            tweet: dict[str, Any] = {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id],
                                     "author_id": author_id, "created_at": at.astimezone(UTC).strftime(
                                         "%Y-%m-%dT%H:%M:%S.000Z"), "conversation_id": tweet_id,
                                     "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1,
                                                        "quote_count": 0}, "reply_settings": "everyone"}  # fmt: skip
            if reply_to:
                parent = self.posts[reply_to]
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
                tweet["in_reply_to_user_id"] = parent["author_id"]
                tweet["conversation_id"] = parent["conversation_id"]
            self.posts[tweet_id] = tweet
        return tweet_id

    def mention(self, author_id: str, text: str, at: datetime, reply_to: str | None = None) -> str:
        """A post by a customer that @mentions the brand."""
        return self.post(author_id, f"@{self.brand_username} {text}", at, reply_to)

    def brand_reply(self, to_id: str, text: str, at: datetime) -> str:
        """The brand answering a post (as if from the X app)."""
        author = self.users[self.posts[to_id]["author_id"]]["username"]
        return self.post(self.brand_id, f"@{author} {text}", at, reply_to=to_id)

    def replies_by_brand(self, to_id: str) -> list[dict[str, Any]]:
        """The brand's posts replying to ``to_id``."""
        return [t for t in self.posts.values() if t["author_id"] == self.brand_id and
                {"type": "replied_to", "id": to_id} in t.get("referenced_tweets", [])]  # fmt: skip

    # -- handlers --------------------------------------------------------------------------------

    def _headers(self, response: Response, limit: int = 450) -> Response:
        reset = str(int(time.time()) + 900)
        response.headers = {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": str(limit - 1),
                            "x-rate-limit-reset": reset, **response.headers}  # fmt: skip
        return response

    def _authorized(self, request: Request) -> bool:
        return authorization(request).startswith(("Bearer ", "OAuth "))

    def _user_by_name(self, request: Request) -> Response:
        assert request.match is not None
        wanted = request.match["username"].lower()
        found = next((u for u in self.users.values() if u["username"].lower() == wanted), None)
        if found is None:
            return self._headers(json_response({"errors": [{"value": wanted, "detail": f"Could not find user with "
                                 f"username: [{wanted}].", "title": "Not Found Error", "resource_type": "user",
                                 "parameter": "username", "type": "https://api.twitter.com/2/problems/resource-not-found"}]}))  # fmt: skip
        return self._headers(json_response({"data": {k: found[k] for k in ("id", "name", "username")}}))

    def _mentions(self, request: Request) -> Response:
        assert request.match is not None
        handle = f"@{self.users[request.match['id']]['username']}".lower()
        chosen = [t for t in self.posts.values() if handle in t["text"].lower()]
        return self._feed(request, chosen)

    def _timeline(self, request: Request) -> Response:
        assert request.match is not None
        return self._feed(request, [t for t in self.posts.values() if t["author_id"] == request.match["id"]])

    def _feed(self, request: Request, tweets: list[dict[str, Any]]) -> Response:
        if not self._authorized(request):
            return problem(401, "Unauthorized", "Unauthorized")
        query = request.query
        since = int(query.get("since_id") or 0)
        start = query.get("start_time")
        tweets = [t for t in tweets if int(t["id"]) > since and (not start or t["created_at"] >= start)]
        tweets.sort(key=lambda t: int(t["id"]), reverse=True)
        size = max(5, min(100, int(query.get("max_results", 10))))
        offset = _offset(query.get("pagination_token"))
        if offset is None:
            return problem(
                400, "Invalid Request", "The `pagination_token` query parameter value is not valid"
            )
        chosen = tweets[offset : offset + size]
        return self._headers(
            json_response(self._render(chosen, query, offset + size < len(tweets), offset + size))
        )

    def _render(
        self, tweets: list[dict[str, Any]], query: dict[str, str], more: bool, next_offset: int
    ) -> dict[str, Any]:
        fields = set(query.get("tweet.fields", "").split(","))
        shown = [{k: v for k, v in t.items() if k in ("id", "text", "edit_history_tweet_ids") or k in fields}
                 for t in tweets]  # fmt: skip
        body: dict[str, Any] = {"meta": {"result_count": len(shown)}}
        if shown:
            body["data"] = shown
            body["meta"].update(newest_id=shown[0]["id"], oldest_id=shown[-1]["id"])
        if more:
            body["meta"]["next_token"] = (
                base64.b32encode(f"o{next_offset}".encode()).decode().lower().rstrip("=")
            )
        if "author_id" in query.get("expansions", "") and shown:
            wanted = set(query.get("user.fields", "").split(",")) | {"id", "name", "username"}
            authors = {t["author_id"] for t in tweets}
            body["includes"] = {
                "users": [{k: v for k, v in self.users[a].items() if k in wanted} for a in sorted(authors)]
            }
        return body

    def _create(self, request: Request) -> Response:
        if not self._authorized(request) or authorization(request).startswith("Bearer app-"):
            return problem(403, "Unsupported Authentication", "Authenticating with OAuth 2.0 Application-Only "
                           "is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User "
                           "Context, OAuth 2.0 User Context].")  # fmt: skip
        payload = request.json() or {}
        target = (payload.get("reply") or {}).get("in_reply_to_tweet_id")
        if target not in self.posts:
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        if f"@{self.brand_username}".lower() not in self.posts[target]["text"].lower():
            return self._headers(problem(403, "Forbidden", NOT_SUMMONED), 200)
        author = self.users[self.posts[target]["author_id"]]["username"]  # X prefixes the replied-to handle
        tweet_id = self.post(
            self.brand_id, f"@{author} {payload.get('text', '')}", datetime.now(UTC), reply_to=target
        )
        response = json_response({"data": {"id": tweet_id, "text": payload.get("text", ""),
                                           "edit_history_tweet_ids": [tweet_id]}}, 201)  # fmt: skip
        return self._headers(response, 200)


def authorization(request: Request) -> str:
    """The Authorization header, whatever the case of its name."""
    return next((v for k, v in request.headers.items() if k.lower() == "authorization"), "")


def _offset(token: str | None) -> int | None:
    if not token:
        return 0
    try:
        padded = token.upper() + "=" * (-len(token) % 8)
        text = base64.b32decode(padded.encode()).decode()
        return int(text[1:]) if text.startswith("o") else None
    except ValueError:
        return None
