"""File import: CSV, JSON and JSON Lines with a column mapping; bad rows reported, good rows kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.file_import import ImportReport, RowMapper, import_file, import_into
from social_listen.model import Item
from social_listen.store import Store
from tests.conftest import make_config

CSV_ES = (
    "id;mensaje;nombre;fecha;valoración\n"
    "1;¿Hacéis envíos a Canarias?;Ana;01/03/2026 10:30;\n"
    "2;;Luis;2026-03-01;\n"
    "3;Quiero devolver la talla M;Marta;ayer;\n"
    "4;Llegó roto, qué desastre;Pepe;2026-03-02T09:00:00Z;1\n"
    "5;Todo perfecto;Eva;2026-03-02 11:00;7\n"
)
MAPPING = {
    "text": "mensaje",
    "author": "nombre",
    "created": "fecha",
    "external_id": "id",
    "rating": "valoración",
}


def items_of(path: Path, mapper: RowMapper) -> tuple[list[Item], ImportReport]:
    report = ImportReport(str(path))
    found = [item for page in import_file(path, mapper, report) for item in page.items]
    return found, report


def test_csv_with_semicolons_and_spanish_dates(tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    path.write_text(CSV_ES, encoding="utf-8")
    found, report = items_of(path, RowMapper(MAPPING, timezone="Europe/Madrid"))
    assert [i.external_id for i in found] == ["1", "4"]
    assert found[0].published_at.isoformat() == "2026-03-01T09:30:00+00:00"  # 10:30 in Madrid
    assert found[1].rating == 1.0
    assert report.bad == [
        (3, "no text (column 'mensaje' is empty or missing)"),
        (4, "creation time 'ayer' is not a date (expected e.g. 2026-03-01T10:30:00Z or 01/03/2026 10:30)"),
        (6, "rating 7 is outside 0–5"),
    ]


def test_windows_1252_csv_from_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes('text,created\n"No me llegó el pedido, ¿qué pasó?",2026-03-01\n'.encode("cp1252"))
    found, report = items_of(path, RowMapper({}))
    assert report.bad == [] and found[0].text.startswith("No me llegó")


def test_rows_without_id_get_a_stable_content_id(tmp_path: Path) -> None:
    path = tmp_path / "mail.jsonl"
    path.write_text(
        json.dumps({"text": "¿Tenéis la talla 38?", "author": "a@b.es", "created": "2026-03-01"}) + "\n"
    )
    first, _ = items_of(path, RowMapper({}))
    second, _ = items_of(path, RowMapper({}))
    assert first[0].external_id == second[0].external_id and first[0].external_id.startswith("h:")


def test_jsonl_bad_lines_are_reported_by_number(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        '{"text": "hola", "created": "2026-03-01"}\n{broken\n[1, 2]\n\n{"text": "adiós", "created": "2026-03-02"}\n'
    )
    found, report = items_of(path, RowMapper({}))
    assert [i.text for i in found] == ["hola", "adiós"]
    assert [line for line, _ in report.bad] == [2, 3]


def test_json_array_and_items_object(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "Great shoes", "created": "2026-03-01", "platform": "facebook", "kind": "comment"}
    ]
    for name, payload in (("a.json", rows), ("b.json", {"items": rows})):
        path = tmp_path / name
        path.write_text(json.dumps(payload))
        found, _ = items_of(path, RowMapper({}))
        assert (found[0].platform, found[0].kind, found[0].external_id) == ("facebook", "comment", "a")


def test_import_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    path.write_text(CSV_ES, encoding="utf-8")
    config = make_config([{"name": "luna-file", "brand": "Tienda Luna", "platform": "file", "target": str(path),
                           "options": {"columns": MAPPING}}])  # fmt: skip
    first_report, first = import_into(store, config, "luna-file", path)
    _, second = import_into(store, config, "luna-file", path)
    assert (first.new, len(first_report.bad)) == (2, 3)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 2)


def test_unknown_column_mapping_names_the_field(tmp_path: Path) -> None:
    from collectors import context_for
    from collectors.file_import import mapper_for
    from social_listen.errors import SocialListenError

    config = make_config([{"name": "f", "brand": "Tienda Luna", "platform": "file", "target": "x.csv",
                           "options": {"columns": {"txt": "mensaje"}}}])  # fmt: skip
    with pytest.raises(SocialListenError, match=r"sources.f.options.columns: unknown field\(s\) txt"):
        mapper_for(context_for(config, config.sources[0]))
