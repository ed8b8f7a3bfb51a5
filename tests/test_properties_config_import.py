"""The config loader and the import parser on arbitrary input: a config is a Config or a ConfigError naming
the problem; an import file gives storable items plus one bad-row report per rejected line — never an
unhandled exception (the CLI would print a traceback instead of ``Error: ...``)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from collectors.file_import import DEFAULT_COLUMNS, ImportReport, RowMapper, import_file
from social_listen.config import Config, ConfigError, check_config, load_config, parse_config
from social_listen.errors import SocialListenError
from social_listen.sla import SlaBook
from tests.strategies import PROPERTY, json_values, key_names, scalars, shaped, time_texts

# -- the config --------------------------------------------------------------------------------------

DURATIONS = st.from_regex(r"\A\d{1,14}(\.\d{1,3})?(w|d|h|m|min|s)\Z") | st.sampled_from(
    ["24h", "1h30m", "0m", "-1h"]
)
PERIODS = st.from_regex(r"\A\d{1,2}:\d{2}-\d{1,2}:\d{2}\Z") | st.just("09:00-14:00")
FULL_CONFIG: dict[str, Any] = {
    "database_url": "sqlite:///luna.db", "secrets_file": "secrets.toml", "contact_url": "https://luna.example",
    "brands": [{
        "name": "Tienda Luna", "timezone": "Europe/Madrid", "languages": ["es", "en"], "own_names": ["Luna"],
        "triage": {"phrases": {"me muero por": "pos"}, "neutral": ["Luna"], "intents": {"talla": "size_fit"}},
        "sla": {"target": "24h", "at_risk": 0.75, "hours": {"mon": ["09:00-14:00", "16:00-20:00"]},
                "country": "ES", "subdivision": "MD", "closed_days": ["2026-08-15"],
                "platforms": {"youtube": {"target": "48h", "at_risk": 0.5}}, "auto_reply_markers": ["[auto]"]},
    }],
    "sources": [{
        "name": "luna-yt", "brand": "Tienda Luna", "platform": "youtube", "target": ["UC1", "UC2"],
        "base_url": "http://127.0.0.1:9", "enabled": True, "options": {"page_size": 50},
        "credentials": {"api_key": {"$env": "YT_KEY"}, "oauth_token": "literal-token"},
    }],
    "dashboard": {"host": "127.0.0.1", "port": 8501},
    "alerts": {
        "enabled": True, "rules": {"new_negative": True, "spike_min_count": 3, "reply_window_warning": "24h"},
        "cooldowns": {"new_negative": "1h", "sla": "1h", "reply_window": "6h"},
        "channels": {"webhook": {"url": {"$env": "HOOK"}, "rules": ["digest"], "timeout": 10.0},
                     "smtp": {"host": "smtp.example", "port": 587, "from": "a@b.es", "to": ["c@d.es"],
                              "password": {"$secret": "smtp"}},
                     "telegram": {"bot_token": "123:abc", "chat_id": 42}},
    },
}  # fmt: skip
CONFIG_KEYS = key_names(FULL_CONFIG)


def _with_edges(config: Any) -> st.SearchStrategy[Any]:
    """A shaped config whose durations and opening periods also take extreme values."""

    def swap(value: Any, durations: Any, periods: Any) -> Any:
        if isinstance(value, dict):
            return {k: durations if k in ("target", "sla", "reply_window", "lookback") and isinstance(v, str)
                    else swap(v, durations, periods) for k, v in value.items()}  # fmt: skip
        if isinstance(value, list):
            return [periods if isinstance(v, str) and ":" in v and "-" in v else swap(v, durations, periods)
                    for v in value]  # fmt: skip
        return value

    return st.builds(swap, st.just(config), DURATIONS, PERIODS)


configs = (
    st.dictionaries(st.sampled_from(CONFIG_KEYS) | st.text(max_size=10), json_values(CONFIG_KEYS), max_size=6)
    | shaped(FULL_CONFIG, CONFIG_KEYS).filter(lambda v: isinstance(v, dict))
    | _with_edges(FULL_CONFIG)
    .flatmap(lambda edged: shaped(edged, CONFIG_KEYS))
    .filter(lambda v: isinstance(v, dict))
    | _with_edges(FULL_CONFIG)
)


def assert_usable(config: Config) -> None:
    """What every command does with a loaded config works: print it masked, check it, build the SLA book."""
    json.dumps(config.masked())
    assert isinstance(config.resolved_database_url(), str)
    assert all(isinstance(p, str) for p in check_config(config, environ={}))
    SlaBook.from_config(config)


def test_the_full_template_config_is_valid() -> None:
    assert_usable(parse_config(json.loads(json.dumps(FULL_CONFIG)), Path("t.toml")))


@PROPERTY
@given(data=configs)
@example(data={**FULL_CONFIG, "brands": [{**FULL_CONFIG["brands"][0], "sla": {"target": "99999999999d"}}]})
@example(data={**FULL_CONFIG, "alerts": {"cooldowns": {"sla": "99999999999999w"}}})
def test_parse_config_gives_a_usable_config_or_a_config_error(data: dict[str, Any]) -> None:
    try:
        config = parse_config(data, Path("social-listen.toml"))
    except ConfigError as exc:
        assert str(exc).startswith("social-listen.toml: ") and len(str(exc)) > len("social-listen.toml: ")
        return
    assert_usable(config)


@PROPERTY
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
@example(content=b'[[brands]]\nname = "Tienda \xf1"\n')  # Latin-1 from an old editor: not UTF-8
@example(content=b"\xff\xfe[\x00[\x00")  # saved as UTF-16
def test_load_config_on_any_file_gives_a_config_or_a_config_error(
    tmp_path_factory: Any, content: bytes
) -> None:
    path = tmp_path_factory.mktemp("cfg") / "social-listen.toml"
    path.write_bytes(content)
    try:
        config = load_config(path)
    except ConfigError as exc:
        assert str(path) in str(exc)
        return
    assert_usable(config)


# -- the import parser -------------------------------------------------------------------------------

COLUMN_NAMES = sorted({name for names in DEFAULT_COLUMNS.values() for name in names})
cells = (
    st.text(max_size=25)
    | time_texts
    | st.integers(min_value=-(10**20), max_value=10**20).map(str)
    | st.floats(allow_nan=True, allow_infinity=True).map(str)
    | st.sampled_from(
        ["", "5", "4,5", "²", "١٢", "1e400", "nan", "instagram", "review", "Ana", "01/03/2026 10:30"]
    )
)
headers = st.lists(st.sampled_from(COLUMN_NAMES) | st.text(min_size=1, max_size=8), min_size=1, max_size=6)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV export: a header of known (and unknown) columns, rows of messy cells, some short or long."""
    header = draw(headers)
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=6)):
        writer.writerow(row)
    return out.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    keys = tuple(COLUMN_NAMES)
    lines = draw(st.lists(st.dictionaries(st.sampled_from(keys), cells | scalars, max_size=6)
                          .map(json.dumps) | json_values(keys).map(json.dumps) | st.text(max_size=20), max_size=6))  # fmt: skip
    return "\n".join(lines).encode()


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    records = draw(st.lists(st.dictionaries(st.sampled_from(tuple(COLUMN_NAMES)), cells | scalars, max_size=6)
                            | json_values(tuple(COLUMN_NAMES)), max_size=5))  # fmt: skip
    wrapped = draw(st.sampled_from(["list", "items", "data", "other"]))
    value: Any = records if wrapped == "list" else {wrapped: records}
    return json.dumps(value).encode()


FILES = {
    ".csv": csv_files() | st.binary(max_size=300),
    ".jsonl": jsonl_files() | st.binary(max_size=300),
    ".json": json_files() | st.binary(max_size=300) | st.text(max_size=60).map(str.encode),
}
DEEP = b"[" * 5000 + b"]" * 5000  # deeper than json.loads recurses
HUGE_NUMBER = b'{"text": "hola", "created": "2026-03-01", "rating": ' + b"9" * 5000 + b"}"


def parse(path: Path, timezone: str) -> tuple[list[Any], ImportReport]:
    report = ImportReport(str(path))
    found = [
        item for page in import_file(path, RowMapper({}, timezone=timezone), report) for item in page.items
    ]
    return found, report


@pytest.mark.parametrize("suffix", sorted(FILES))
@PROPERTY
@given(data=st.data())
def test_any_import_file_gives_items_and_per_line_bad_rows(tmp_path_factory: Any, suffix: str,
                                                             data: st.DataObject) -> None:  # fmt: skip
    from tests.strategies import assert_storable

    content = data.draw(FILES[suffix] | st.sampled_from([DEEP, HUGE_NUMBER]), label="file")
    timezone = data.draw(
        st.sampled_from(["UTC", "Europe/Madrid", "America/Argentina/Buenos_Aires", "Pacific/Kiritimati"])
    )
    path = tmp_path_factory.mktemp("import") / f"export{suffix}"
    path.write_bytes(content)
    try:
        found, report = parse(path, timezone)
    except (
        SocialListenError
    ) as exc:  # the whole file is unreadable (e.g. .json that is not JSON): one message
        assert str(path) in str(exc)
        return
    for item in found:
        assert_storable(item)
    assert report.items == len(found) and report.items + len(report.bad) == report.rows, report
    assert all(type(line) is int and line >= 1 and isinstance(why, str) and why for line, why in report.bad)
    assert [line for line, _ in report.bad] == sorted(line for line, _ in report.bad)
    again, _ = parse(path, timezone)  # re-importing the same file yields the same identities
    assert [i.external_id for i in again] == [i.external_id for i in found]


def test_an_epoch_or_date_beyond_the_calendar_is_a_bad_row_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text(
        "text,created\nhola,99999999999999999\nhola,0001-01-01T00:00:00+05:00\nbien,2026-03-01\n",
        encoding="utf-8",
    )
    found, report = parse(path, "Europe/Madrid")
    assert [i.text for i in found] == ["bien"] and [line for line, _ in report.bad] == [2, 3]
    assert found[0].published_at == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
