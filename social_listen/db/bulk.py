"""Many rows through one statement, for the collection's hot write path.

`Connection.execute(stmt, rows)` rebuilds every row's parameters through the compiled statement
(`construct_params`) before handing them to the driver: for a 35-column item row that is about a quarter of the
row's write time on SQLite. `BulkWrite` compiles the statement once for a set of row keys, keeps SQLAlchemy's
own type processors for each parameter (the same conversions `execute` applies: UTC datetimes, JSON, booleans),
and passes the converted rows to the driver in one `exec_driver_sql` executemany on the same connection and
transaction. The SQL is SQLAlchemy's; only the per-row bookkeeping is skipped. Timestamps repeat within a
page (when it was collected, fetched and triaged; an edit time equal to the publish time), so each distinct
timestamp is converted once per call: the datetime conversions were the largest part of what remained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class BulkWrite:
    """A statement compiled for rows with exactly ``keys``; `run` executes it for many such rows."""

    sql: str
    names: tuple[str, ...]  # the row key of each parameter, in the statement's order
    processors: tuple[Callable[[Any], Any] | None, ...]
    positional: bool
    # Parameters whose converted values are remembered within a call: the same name for columns of one
    # timestamp type, which share what they remember (an edit time equal to the publish time is converted once).
    memo_groups: tuple[str | None, ...]

    @classmethod
    def compile(cls, stmt: ClauseElement, dialect: Dialect, keys: Sequence[str]) -> BulkWrite:
        # for_executemany: no RETURNING of the new primary key (a single-row INSERT on PostgreSQL has one)
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
        binds = compiled.binds  # type: ignore[attr-defined]
        positional = bool(dialect.positional)
        names = tuple(compiled.positiontup or ()) if positional else tuple(binds)  # type: ignore[attr-defined]
        missing = [name for name in names if name not in keys]
        if missing:  # a parameter the rows do not carry (a column default, a literal): use Connection.execute
            raise ValueError(f"the statement has parameters the rows lack: {', '.join(missing)}")
        types = [binds[name].type.dialect_impl(dialect) for name in names]
        processors = tuple(kind.bind_processor(dialect) for kind in types)
        groups = tuple(type(kind).__qualname__ if _python_type(kind) is datetime else None for kind in types)
        return cls(compiled.string, names, processors, positional, groups)

    def run(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
        """Execute for every row (each a dict with the compiled keys)."""
        if not rows:
            return
        # Column by column: one C-level pass (itemgetter, map) per parameter instead of Python code per cell.
        columns: list[Any] = []
        memos: dict[str, dict[Any, Any]] = {}
        for name, process, group in zip(self.names, self.processors, self.memo_groups, strict=True):
            values = map(itemgetter(name), rows)
            if process is not None:
                values = map(
                    process if group is None else _remembered(process, memos.setdefault(group, {})), values
                )
            columns.append(values)
        params: list[Any] = list(zip(*columns, strict=True))
        if not self.positional:
            params = [dict(zip(self.names, values, strict=True)) for values in params]
        conn.exec_driver_sql(self.sql, params)


def _python_type(kind: Any) -> type | None:
    """The Python type of a column type's values; for a TypeDecorator, that of the type it wraps (its own
    python_type is ``object``)."""
    try:
        return getattr(kind, "impl_instance", kind).python_type  # type: ignore[no-any-return]
    except NotImplementedError:
        return None


def _remembered(process: Callable[[Any], Any], done: dict[Any, Any]) -> Callable[[Any], Any]:
    """``process`` computed once per distinct value, remembered in ``done`` (values must be hashable, as
    datetimes are)."""

    def converted(value: Any) -> Any:
        if value not in done:
            done[value] = process(value)
        return done[value]

    return converted
