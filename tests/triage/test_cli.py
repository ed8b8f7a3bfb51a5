"""`social-listen triage score|eval` as people run them: exit codes, files written, messages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from social_listen.cli import main

CONFIG = """
[[brands]]
name = "Tienda Feliz"
languages = ["es"]
own_names = ["Tienda Feliz"]
[brands.triage]
phrases = { "me muero por" = "pos" }
"""


def write(path: Path, text: str) -> Path:
    """Write a file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


def test_score_writes_the_triage_columns(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", 'id,text\n1,"Nunca me llegó el pedido, nadie responde"\n2,Love it!\n')
    result = CliRunner().invoke(
        main, ["triage", "score", "--input", str(src), "--output", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert [r["negative"] for r in rows] == ["true", "false"]
    assert "2 row(s) written" in result.output


def test_score_with_a_brand_uses_its_languages_and_overrides(tmp_path: Path) -> None:
    config = write(tmp_path / "sl.toml", CONFIG)
    src = write(tmp_path / "in.csv", "text\nMe muero por la campera de Tienda Feliz\nTienda Feliz\n")
    args = [
        "--config",
        str(config),
        "triage",
        "score",
        "--input",
        str(src),
        "--output",
        str(tmp_path / "o.csv"),
    ]
    result = CliRunner().invoke(main, [*args, "--brand", "Tienda Feliz"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert [r["sentiment_label"] for r in rows] == ["pos", "neu"]
    unknown = CliRunner().invoke(main, [*args, "--brand", "Otra"])
    assert unknown.exit_code != 0 and "No brand named 'Otra'" in unknown.output


def test_missing_column_is_an_error_with_advice(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", "comment\nhola\n")
    result = CliRunner().invoke(
        main, ["triage", "score", "--input", str(src), "--output", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1
    assert "Error: Column 'text' not found" in result.output and "--text-column" in result.output


def test_an_unquoted_comma_in_a_text_is_an_error_naming_the_line_and_leaves_no_output(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", "text\nTodo bien\nPésimo, me cobraron dos veces 😡\n")
    out = tmp_path / "o.csv"
    result = CliRunner().invoke(main, ["triage", "score", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "line 3: 2 fields where the header has 1" in result.output and "double quotes" in result.output
    assert not out.exists()
    gold = write(tmp_path / "gold.csv", "text,label\nPésimo, me cobraron dos veces,neg\n")
    evaluated = CliRunner().invoke(main, ["triage", "eval", "--input", str(gold)])
    assert evaluated.exit_code == 1 and "line 2: 3 fields where the header has 2" in evaluated.output


def test_eval_prints_a_report_or_json(tmp_path: Path) -> None:
    src = write(
        tmp_path / "gold.csv", "text,label,lang\nPésimo servicio,neg,es\nMe encantó,pos,es\nOk,neu,es\n"
    )
    table = CliRunner().invoke(main, ["triage", "eval", "--input", str(src)])
    assert table.exit_code == 0 and "macro-F1" in table.output and "texts/s" in table.output
    as_json = CliRunner().invoke(main, ["triage", "eval", "--input", str(src), "--json"])
    report = json.loads(as_json.output)
    assert report["rows"] == 3 and set(report["by_language"]) == {"es"}
