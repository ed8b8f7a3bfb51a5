"""Progress for collections: a live bar on a terminal, plain log lines under cron."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from social_listen.model import SaveResult

log = logging.getLogger("social_listen.collect")


@contextmanager
def page_reporter() -> Iterator[Callable[[str, SaveResult], None]]:
    """A callback to report each saved page: rich progress on a TTY, an INFO line per page otherwise."""
    if not sys.stderr.isatty():
        yield lambda source, result: log.info(
            "%s: page saved (%d new, %d updated, %d answered)",
            source,
            result.new,
            result.updated,
            result.answered,
        )
        return
    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as progress:
        tasks: dict[str, TaskID] = {}
        totals: dict[str, int] = {}

        def report(source: str, result: SaveResult) -> None:
            if source not in tasks:
                tasks[source] = progress.add_task(source)
            totals[source] = totals.get(source, 0) + result.new
            progress.update(tasks[source], description=f"{source}: {totals[source]} new items")

        yield report
