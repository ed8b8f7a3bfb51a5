"""Import comments from CSV, JSON or JSON Lines files (platform exports, e-mail and contact-form dumps).

Columns are mapped by the source's ``options.columns``; rows without an id get a content-derived id, so
re-importing the same file changes nothing. A bad row is reported with its line number and skipped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from collectors.base import SourceContext
from social_listen.errors import SocialListenError
from social_listen.model import ITEM_KINDS, PLATFORMS, Author, Item, Page, SaveResult, content_id

log = logging.getLogger(__name__)
BATCH = 1000
# The [sources.options] keys a file source understands (mapper_for). `social-listen import --source` reads
# them from a source of any platform, so every platform accepts them (collectors.option_problems).
OPTIONS = frozenset({"columns", "kind", "platform", "timezone"})

# Our field -> the column names tried when the config maps nothing (first match wins).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "body", "comment", "mensaje", "comentario", "texto", "content"),
    "author": ("author", "author_name", "name", "from", "autor", "nombre", "email"),
    "created": ("created", "created_at", "published_at", "date", "timestamp", "fecha", "time"),
    "url": ("url", "link", "permalink", "enlace"),
    "platform": ("platform", "plataforma", "channel"),
    "external_id": ("external_id", "id", "message_id"),
    "rating": ("rating", "stars", "score", "valoracion", "puntuacion"),
    "parent_id": ("parent_id", "parent_external_id", "in_reply_to", "parent"),
    "kind": ("kind", "type", "tipo"),
}
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
                 "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")  # fmt: skip


class BadRow(ValueError):
    """A row that cannot become an item; the message says which field and why."""


@dataclass
class ImportReport:
    """What an import read: good rows become items, bad rows are listed with line and reason."""

    file: str
    rows: int = 0
    items: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RowMapper:
    """Turns a file row (a dict) into an Item using the column mapping and defaults."""

    columns: dict[str, str]
    platform: str = "file"
    kind: str = "message"
    timezone: str = "UTC"
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def column(self, row: dict[str, Any], key: str) -> Any:
        """The row's value for one of our fields, through the mapping or the default names."""
        mapped = self.columns.get(key)
        if mapped is not None:
            return row.get(mapped)
        lowered = {str(k).strip().lower(): v for k, v in row.items()}
        return next((lowered[name] for name in DEFAULT_COLUMNS[key] if name in lowered), None)

    def item(self, row: dict[str, Any]) -> Item:
        """The Item for ``row``; BadRow naming the field when something is missing or malformed."""
        text = _text(self.column(row, "text"))
        if not text:
            raise BadRow(f"no text (column {self.columns.get('text', 'text')!r} is empty or missing)")
        created = self.parse_created(self.column(row, "created"))
        platform = _text(self.column(row, "platform")) or self.platform
        if platform not in PLATFORMS:
            raise BadRow(f"platform {platform!r} is not one of {', '.join(PLATFORMS)}")
        author = _text(self.column(row, "author"))
        external = _text(self.column(row, "external_id")) or content_id(
            platform, author, created.isoformat(), text
        )
        kind = _text(self.column(row, "kind")) or self.kind
        if kind not in ITEM_KINDS:
            raise BadRow(f"kind {kind!r} is not one of {', '.join(ITEM_KINDS)}")
        parent = _text(self.column(row, "parent_id")) or None
        return Item(
            platform=platform, external_id=external, text=text, published_at=created, kind=kind,
            author=Author(external_id=author, name=author) if author else None,
            parent_external_id=parent, thread_external_id=parent or external,
            rating=_rating(self.column(row, "rating")), url=_text(self.column(row, "url")) or None,
            raw={k: v for k, v in row.items() if k is not None}, fetched_at=self.fetched_at,
        )  # fmt: skip

    def parse_created(self, value: Any) -> datetime:
        """A timestamp from ISO 8601, common Spanish/English formats or epoch seconds; naive means local."""
        text = _text(value)
        if not text:
            raise BadRow("no creation time (column 'created' is empty or missing)")
        try:
            if text.replace(".", "", 1).isdecimal():
                return datetime.fromtimestamp(float(text), UTC)
            parsed = _parse_local(text)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=ZoneInfo(self.timezone))
            return parsed.astimezone(UTC)
        except (OverflowError, OSError, ValueError) as exc:
            if isinstance(exc, BadRow):
                raise
            raise BadRow(f"creation time {text!r} is outside the calendar") from None


def _parse_local(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise BadRow(
        f"creation time {text!r} is not a date (expected e.g. 2026-03-01T10:30:00Z or 01/03/2026 10:30)"
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _rating(value: Any) -> float | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        rating = float(text)
    except ValueError:
        raise BadRow(f"rating {text!r} is not a number") from None
    if not 0 <= rating <= 5:
        raise BadRow(f"rating {rating:g} is outside 0–5")
    return rating


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    """(line number, row or BadRow) for every record of a CSV, JSON or JSON Lines file."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_rows(_decode(data))
    elif suffix == ".json":
        yield from _json_rows(_decode(data), path)
    else:
        yield from _csv_rows(_decode(data))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel in Spanish saves Windows-1252


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field longer than the csv module takes; the next line is read anew
            yield max(reader.reader.line_num, 1), BadRow(f"unreadable CSV: {exc}")
            continue
        if None in row:
            yield reader.line_num, BadRow(f"{len(row[None])} more values than the header has columns")
        elif any(v is not None and str(v).strip() for v in row.values()):
            yield reader.line_num, row


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, _json_object(line)


def _json_object(line: str) -> dict[str, Any] | BadRow:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadRow(f"not valid JSON: {exc.msg}")
    except (ValueError, RecursionError) as exc:  # a number of 4300+ digits, nesting deeper than Python goes
        return BadRow(f"not readable JSON: {str(exc) or type(exc).__name__}"[:200])
    return value if isinstance(value, dict) else BadRow("not a JSON object")


def _json_rows(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SocialListenError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        why = str(exc)[:120] or type(exc).__name__
        raise SocialListenError(f"{path}: not readable JSON ({why})") from None
    records = value.get("items", value.get("data")) if isinstance(value, dict) else value
    if not isinstance(records, list):
        raise SocialListenError(
            f"{path}: expected a JSON array of objects, or an object with an 'items' array"
        )
    for number, record in enumerate(records, start=1):
        yield number, record if isinstance(record, dict) else BadRow("not a JSON object")


def import_file(path: Path, mapper: RowMapper, report: ImportReport, batch: int = BATCH) -> Iterator[Page]:
    """Pages of the file's good rows; bad rows go into ``report`` with their line numbers."""
    if not path.is_file():
        raise SocialListenError(f"{path}: no such file")
    items: list[Item] = []
    for number, row in read_rows(path):
        report.rows += 1
        try:
            if isinstance(row, BadRow):
                raise row
            items.append(mapper.item(row))
        except BadRow as exc:
            report.bad.append((number, str(exc)))
            log.warning("%s line %d skipped: %s", path, number, exc)
            continue
        if len(items) >= batch:
            report.items += len(items)
            yield Page(items=items)
            items = []
    report.items += len(items)
    yield Page(items=items)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, to skip unchanged files in scheduled collections."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mapper_for(context: SourceContext) -> RowMapper:
    """The row mapper from the source's options (``columns``, ``platform``, ``kind``, ``timezone``)."""
    columns = context.option("columns", {}) or {}
    unknown = sorted(set(columns) - set(DEFAULT_COLUMNS))
    if unknown:
        raise SocialListenError(
            f"sources.{context.source.name}.options.columns: unknown field(s) {', '.join(unknown)}; "
            f"known: {', '.join(DEFAULT_COLUMNS)}"
        )
    return RowMapper(
        columns={str(k): str(v) for k, v in columns.items()},
        platform=context.option("platform", "file"),
        kind=context.option("kind", "message"),
        timezone=context.option("timezone", context.brand.timezone),
    )


class FileCollector:
    """Collects the source's file(s); a file whose content has not changed since the last run is skipped."""

    def __init__(self, context: SourceContext) -> None:
        self.context = context
        self.mapper = mapper_for(context)
        self.reports: list[ImportReport] = []

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of every target file's rows; the cursor remembers each file's digest."""
        digests = dict((cursor or {}).get("digests", {}))
        for target in self.context.source.targets:
            path = self.context.config_dir / Path(target).expanduser()
            digest = file_digest(path) if path.is_file() else ""
            if digest and digests.get(str(path)) == digest:
                continue
            report = ImportReport(str(path))
            self.reports.append(report)
            yield from import_file(path, self.mapper, report)
            digests[str(path)] = digest
            yield Page(cursor={"digests": digests})
        if any(r.bad for r in self.reports):
            bad = sum(len(r.bad) for r in self.reports)
            raise SocialListenError(f"{bad} row(s) could not be imported; the good rows were kept")


def create(context: SourceContext) -> FileCollector:
    """The collector for a ``file`` source."""
    return FileCollector(context)


def import_into(store: Any, config: Any, source_name: str, path: Path) -> tuple[ImportReport, SaveResult]:
    """Import one file into a source of the store; returns the report and the summed save results."""
    from collectors import context_for

    source = config.source(source_name)
    context = context_for(config, source)
    mapper = mapper_for(context)
    if source.platform != "file" and "platform" not in context.source.options:
        mapper = RowMapper(
            mapper.columns, platform=source.platform, kind=mapper.kind, timezone=mapper.timezone
        )
    report = ImportReport(str(path))
    new = updated = unchanged = answered = 0
    for page in import_file(path, mapper, report):
        result = store.save_page(source_name, page)
        new, updated = new + result.new, updated + result.updated
        unchanged, answered = unchanged + result.unchanged, answered + result.answered
    return report, SaveResult(new, updated, unchanged, answered)
