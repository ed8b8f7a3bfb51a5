"""Start a crawl in a child process and read its JSON Lines as they come (Scrapy never runs in this process)."""

from __future__ import annotations

import collections
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from collectors.base import redact_url
from social_listen.errors import SocialListenError

log = logging.getLogger(__name__)
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding `collectors/`


@dataclass
class CrawlSummary:
    """What a crawl did: pages parsed, records found, records dropped and the URLs that failed (why)."""

    pages: int = 0
    records: int = 0
    dropped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def line(self, items: int | None = None) -> str:
        """``N items from M pages, K failed``."""
        found = self.records if items is None else items
        return f"{found} items from {self.pages} pages, {len(self.failures)} failed"


def crawl_events(
    platform: str,
    urls: list[str],
    options: dict[str, Any],
    contact_url: str,
    summary: CrawlSummary,
    timeout: float | None = None,
) -> Iterator[dict[str, Any]]:
    """``record`` and ``snapshot`` events of a crawl as they arrive; visits and failures go to ``summary``.

    Raises SocialListenError when the crawler process itself fails (not when a URL fails).
    """
    command = [sys.executable, "-m", "collectors.web.run", "--platform", platform,
               "--options", json.dumps(options), "--contact-url", contact_url]  # fmt: skip
    for url in urls:
        command += ["--url", url]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_child_env(),
                             text=True, encoding="utf-8", errors="replace", bufsize=1)  # fmt: skip
    stderr, pump = _drain(child.stderr)
    timer = threading.Timer(timeout or float(options.get("timeout", 900)) + 30, child.kill)
    timer.start()
    try:
        yield from _read(child, summary)
        _finish(child, pump, stderr, summary)
    finally:
        timer.cancel()
        if child.poll() is None:
            child.kill()
            child.wait()


def _child_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    return env


def _drain(stream: IO[str] | None) -> tuple[collections.deque[str], threading.Thread]:
    """Read the child's log in the background (so it never blocks on a full pipe); keep the tail."""
    tail: collections.deque[str] = collections.deque(maxlen=40)

    def pump() -> None:
        for line in stream or ():
            tail.append(line.rstrip())
            log.debug("crawler: %s", line.rstrip())

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return tail, thread


def _read(child: subprocess.Popen[str], summary: CrawlSummary) -> Iterator[dict[str, Any]]:
    for line in child.stdout or ():
        try:
            event = json.loads(line)
        except ValueError:
            log.warning("crawler wrote a line that is not JSON: %.200s", line)
            continue
        if event.get("type") in ("record", "snapshot"):
            summary.records += 1
            yield event
        else:
            _note(event, summary)


def _note(event: dict[str, Any], summary: CrawlSummary) -> None:
    kind = event.get("type")
    if kind == "visit":
        summary.pages += 1
    elif kind == "failure":
        url, reason = redact_url(str(event.get("url"))), str(event.get("reason"))
        summary.failures.append((url, reason))
        log.info("web crawl: %s failed: %s", url, reason)
    elif kind == "dropped":
        summary.dropped += 1
        log.info("web crawl: dropped a record on %s: %s", event.get("url"), event.get("reason"))
    elif kind == "done":
        summary.stats = {"done": True, **(event.get("stats") or {})}


def _finish(
    child: subprocess.Popen[str],
    pump: threading.Thread,
    stderr: collections.deque[str],
    summary: CrawlSummary,
) -> None:
    code = child.wait()
    if code == 0 and summary.stats.get("done"):
        return
    pump.join(timeout=2)
    last = " | ".join(list(stderr)[-5:]) or "no output"
    why = "was killed (the timeout option ran out?)" if code < 0 else f"stopped with exit code {code}"
    raise SocialListenError(f"the web crawler process {why} before finishing: {last}")
