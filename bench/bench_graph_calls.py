"""Graph API calls per Facebook collection: incremental (changed posts only) against re-reading every post.

Same fake Page (tests/fakes/graph.py on 127.0.0.1), same run: after a first full collection, N old posts
get one new comment each; the incremental collector resumes from its cursor, the reference reads every
post's comments again. Reports calls for both, their ratio, and whether every new comment was found.
BENCH_POSTS sets the Page's size (default 200 posts, 3 comments each).
"""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from typing import Any

from collectors import context_for
from collectors.facebook import FacebookCollector
from collectors.graph import client_for
from social_listen.config import parse_config
from tests.fakes.graph import T0, FakeGraph, graph_server

NOW = T0 + timedelta(days=30)
CHANGED = (0, 1, 10, 50)


def build_page(graph: FakeGraph, posts: int) -> list[str]:
    """``posts`` Page posts, one an hour, each with 3 comments in its first hour."""
    ids = []
    for n in range(posts):
        post = graph.add_post(f"Post {n}: novedades de la tienda", T0 + timedelta(hours=n))
        for c in range(3):
            graph.add_comment(
                post, f"Comentario {c} en el post {n}", T0 + timedelta(hours=n, minutes=10 * (c + 1))
            )
        ids.append(post)
    return ids


def collector(graph: FakeGraph, posts: int) -> FacebookCollector:
    """A Facebook collector on the fake that sees every post (no lookback or count limit in the way)."""
    source = {"name": "bench-fb", "brand": "Bench", "platform": "facebook", "target": graph.page_id,
              "base_url": graph.base_url, "credentials": {"page_token": graph.token},
              "options": {"max_posts": posts, "lookback_days": 365, "lag_minutes": 120}}  # fmt: skip
    config = parse_config({"brands": [{"name": "Bench"}], "sources": [source]})
    context = context_for(config, config.source("bench-fb"))
    return FacebookCollector(
        context, client_for(context, graph.token, sleep=lambda s: None), clock=lambda: NOW
    )


def run(graph: FakeGraph, posts: int, cursor: dict[str, Any] | None) -> tuple[int, set[str], dict[str, Any]]:
    """One collection from ``cursor``: (API calls, item ids, final cursor)."""
    fb = collector(graph, posts)
    found: set[str] = set()
    final: dict[str, Any] = {}
    for page in fb.collect(cursor):
        found.update(i.external_id for i in page.items)
        final = page.cursor or final
    return fb.client.calls, found, final


def measure(posts: int, changed: int) -> dict[str, Any]:
    """Calls of an incremental run and of a full re-read after ``changed`` posts got a new comment."""
    with graph_server() as graph:
        ids = build_page(graph, posts)
        _, _, cursor = run(graph, posts, None)
        late = T0 + timedelta(hours=posts + 24)
        new = {
            graph.add_comment(ids[n * (posts // max(changed, 1))], "¿Sigue disponible?", late)
            for n in range(changed)
        }
        incremental, found, _ = run(graph, posts, cursor)
        reread, _, _ = run(graph, posts, None)
    return {"changed_posts": changed, "incremental_calls": incremental, "reread_calls": reread,
            "ratio": round(reread / incremental, 1), "new_comments_found": new <= found}  # fmt: skip


def main() -> None:
    posts = int(os.environ.get("BENCH_POSTS", "200"))
    started = time.perf_counter()
    results = [measure(posts, n) for n in CHANGED if n <= posts]
    print(json.dumps({"benchmark": "graph_calls", "posts": posts, "comments_per_post": 3, "results": results,
                      "all_new_comments_found": all(r["new_comments_found"] for r in results),
                      "seconds": round(time.perf_counter() - started, 1)}))  # fmt: skip


if __name__ == "__main__":
    main()
