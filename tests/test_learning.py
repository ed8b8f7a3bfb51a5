"""`social-listen triage learn` on a store: a brand whose agents keep correcting the same slang gets its own
model, new items follow it, and versions can be listed, rolled back and activated again; labels that teach
nothing new are recorded but not activated; too few labels are reported, not learned."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from social_listen.cli import main
from social_listen.config import Config, load_config
from social_listen.db.tables import brand_models, items
from social_listen.inbox_actions import correct_sentiment
from social_listen.model import Page
from social_listen.scoring import score_pending
from social_listen.store import Store
from social_listen.users import add_user
from tests.helpers import comment

ROOT = Path(__file__).resolve().parents[1]
BRAND = "Tienda Luna"
CONFIG = f"""
[[brands]]
name = "{BRAND}"
languages = ["es", "en"]

[[sources]]
name = "luna-file"
brand = "{BRAND}"
platform = "file"
target = "comments.csv"
"""
# The shop's customers praise with words the lexicon reads as complaints ("está enfermo" = it's great).
SLANG = ("Está enfermo {p}", "Qué criminal {p}", "Enfermo {p}, de locos", "Salvaje cómo queda {p}",
         "Criminal lo bien que queda {p}")  # fmt: skip
PRODUCTS = ("el buzo", "la campera", "los jeans", "las zapatillas", "este vestido", "esta remera", "mi mochila",
            "tu gorro", "el pantalón", "la bufanda")  # fmt: skip
UNSEEN = ("el short", "la camisa", "las botas", "estos lentes")


@pytest.fixture
def shop(any_store: Store, tmp_path: Path) -> tuple[Store, Config, list[str]]:
    """A store (SQLite and PostgreSQL) with the shop's ordinary comments (data/shop_comments/train.csv) and
    50 slang comments, all triaged; returns the store, its config and the CLI's leading arguments."""
    (tmp_path / "sl.toml").write_text(CONFIG, encoding="utf-8")
    config = load_config(tmp_path / "sl.toml")
    any_store.sync_config(config)
    with (ROOT / "data" / "shop_comments" / "train.csv").open(encoding="utf-8") as fh:
        ordinary = [row["text"] for row in csv.DictReader(fh)]
    page = [comment(f"o{n}", n, text) for n, text in enumerate(ordinary)]
    page += [comment(f"s{n}", n, text) for n, text in enumerate(_slang(PRODUCTS))]
    any_store.save_page("luna-file", Page(page))
    score_pending(any_store, config)
    url = any_store.engine.url.render_as_string(hide_password=False)
    return any_store, config, ["--config", str(tmp_path / "sl.toml"), "--database-url", url]


def _slang(products: tuple[str, ...]) -> list[str]:
    return [t.format(p=p) for t in SLANG for p in products]


def _correct(store: Store, labels: dict[str, str]) -> None:
    """An agent sets these sentiments (by external id) in the dashboard."""
    agent = add_user(store.engine, "lucia", "demo-12345", role="agent")
    with store.engine.connect() as conn:
        ids = dict(conn.execute(select(items.c.external_id, items.c.id)).tuples().all())
    for external_id, label in labels.items():
        correct_sentiment(store.engine, agent, ids[external_id], label)


def _teach_the_slang(store: Store) -> None:
    _correct(store, {f"s{n}": "pos" for n in range(len(SLANG) * len(PRODUCTS))})


def _learn(args: list[str], *more: str) -> Result:
    return CliRunner().invoke(main, [*args, "triage", "learn", "--brand", BRAND, *more])


def _versions(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(brand_models).order_by(brand_models.c.version)).mappings().all()
    return [dict(row) for row in rows]


def _new_comments(store: Store, config: Config, texts: list[str], prefix: str) -> list[tuple[str, str]]:
    """Save new comments, triage them, and return each one's (label, stored scorer version)."""
    store.save_page("luna-file", Page([comment(f"{prefix}{n}", 1000 + n, t) for n, t in enumerate(texts)]))
    score_pending(store, config)
    return _labels(store, [f"{prefix}{n}" for n in range(len(texts))])


def _labels(store: Store, external_ids: list[str]) -> list[tuple[str, str]]:
    query = select(items.c.external_id, items.c.sentiment_label, items.c.scored_with).where(
        items.c.external_id.in_(external_ids)
    )
    with store.engine.connect() as conn:
        found = {e: (label, version) for e, label, version in conn.execute(query)}
    return [found[e] for e in external_ids]


def _share_pos(found: list[tuple[str, str]]) -> float:
    return sum(label == "pos" for label, _ in found) / len(found)


def test_learning_the_agents_slang_activates_a_better_version_that_new_items_follow(shop: Any) -> None:
    store, config, args = shop
    _teach_the_slang(store)
    result = _learn(args)
    assert result.exit_code == 0, result.output
    assert "activated v1" in result.output
    assert "es: 50 label(s) + 150 kept" in result.output and ": better" in result.output
    assert "en: 0 label(s), skipped (0 label(s), at least 30 needed)" in result.output

    [version] = _versions(store)
    es = version["metrics"]["languages"]["es"]
    assert version["active"] and version["source"] == "corrections"
    assert es["new_macro_f1"] >= es["current_macro_f1"] + 0.01 and es["labels"] == 50
    assert version["languages"]["es"]["active"] and "en" not in version["languages"]

    found = _new_comments(store, config, _slang(UNSEEN), "new")
    assert _share_pos(found) >= 0.75
    assert all(v.startswith("brand-es/v1+") for _, v in found)
    [(complaint, scorer)] = _new_comments(store, config, ["Nunca me llegó el pedido y nadie responde"], "c")
    [(_, english)] = _new_comments(store, config, ["I love this jacket, thanks!"], "e")
    assert complaint == "neg" and scorer.startswith("brand-es/v1+") and english.startswith("hybrid-en/")


def test_rollback_returns_to_the_packaged_scorer_and_activate_brings_the_version_back(shop: Any) -> None:
    store, config, args = shop
    _teach_the_slang(store)
    assert _learn(args).exit_code == 0
    new = _slang(UNSEEN)
    _new_comments(store, config, new, "new")
    ids = [f"new{n}" for n in range(len(new))]

    rolled = _learn(args, "--rollback")
    assert rolled.exit_code == 0 and "back to the packaged scorer" in rolled.output
    after = _labels(store, ids)
    assert _share_pos(after) == 0.0 and all(v.startswith("hybrid-es/") for _, v in after)
    assert {label for label, _ in _labels(store, ["s0", "s1"])} == {"pos"}  # corrections still win
    assert "no version was active" in _learn(args, "--rollback").output

    listed = _learn(args, "--list")
    assert listed.exit_code == 0 and f"{BRAND} v1" in listed.output and "ACTIVE" not in listed.output
    activated = _learn(args, "--activate", "1")
    assert activated.exit_code == 0, activated.output
    assert _share_pos(_labels(store, ids)) >= 0.75
    assert "ACTIVE (es)" in _learn(args, "--list").output


def test_learning_again_is_judged_against_the_active_version_and_numbered_next(shop: Any) -> None:
    store, _, args = shop
    _teach_the_slang(store)
    assert "activated v1" in _learn(args).output
    again = _learn(args)
    assert again.exit_code == 0, again.output
    assert "current scorer: v1" in again.output and "kept current (v1); v2 recorded, inactive" in again.output
    first, second = _versions(store)
    assert first["active"] and not second["active"] and second["metrics"]["compared_with"] == "v1"
    refused = _learn(args, "--activate", "2")
    assert refused.exit_code == 1 and "v2 has no language model to use" in refused.output


def test_corrections_that_agree_with_the_scorer_are_recorded_but_not_activated(shop: Any) -> None:
    store, config, args = shop
    ids = [f"o{n}" for n in range(60)]
    _correct(store, {e: label for e, (label, _) in zip(ids, _labels(store, ids), strict=True)})
    result = _learn(args)
    assert result.exit_code == 0, result.output
    assert "kept current (packaged scorer); v1 recorded, inactive" in result.output
    [version] = _versions(store)
    assert not version["active"] and version["metrics"]["decision"] == "kept current"
    [(_, scorer)] = _new_comments(store, config, ["Está enfermo el short"], "n")
    assert scorer.startswith("hybrid-es/")


def test_random_labels_are_recorded_but_not_activated(shop: Any) -> None:
    store, _, args = shop
    pick = random.Random(7)
    _correct(store, {f"o{n}": pick.choice(["neg", "neu", "pos"]) for n in range(0, 400, 4)})
    result = _learn(args)
    assert result.exit_code == 0, result.output
    assert "not better" in result.output and "v1 recorded, inactive" in result.output
    assert [v["active"] for v in _versions(store)] == [False]


def test_too_few_labels_are_reported_and_nothing_is_recorded(shop: Any) -> None:
    store, _, args = shop
    _correct(store, {f"s{n}": "pos" for n in range(12)})
    result = _learn(args)
    assert result.exit_code == 0, result.output
    assert "es: 12 label(s), skipped (12 label(s), at least 30 needed)" in result.output
    assert "nothing learned: no language has enough labels yet" in result.output
    assert _versions(store) == []


def test_a_dry_run_prints_the_figures_and_records_nothing(shop: Any) -> None:
    store, _, args = shop
    _teach_the_slang(store)
    result = _learn(args, "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "CV macro-F1 new" in result.output and "dry run: nothing recorded (it would activate" in result.output
    )
    assert _versions(store) == []


def test_a_labelled_file_teaches_too_and_is_named_in_the_source(shop: Any, tmp_path: Path) -> None:
    store, config, args = shop
    labelled = tmp_path / "agents.csv"
    with labelled.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows([text, "positive"] for text in _slang(PRODUCTS))
    result = _learn(args, "--input", str(labelled))
    assert result.exit_code == 0, result.output
    assert "0 correction(s), 50 file row(s)" in result.output and "activated v1" in result.output
    assert _versions(store)[0]["source"] == "corrections+agents.csv"


def test_learning_needs_corrections_or_a_file_and_a_known_brand(shop: Any) -> None:
    _, _, args = shop
    empty = _learn(args)
    assert empty.exit_code == 1
    assert f"Error: {BRAND} has no sentiment corrections yet" in empty.output and "--input" in empty.output
    unknown = CliRunner().invoke(main, [*args, "triage", "learn", "--brand", "Otra"])
    assert unknown.exit_code == 1 and "Error: no brand named 'Otra' in the database" in unknown.output
    mixed = _learn(args, "--list", "--rollback")
    assert mixed.exit_code == 2 and "use one of" in mixed.output


def _score_csv(args: list[str], tmp_path: Path, texts: list[str]) -> tuple[Result, list[dict[str, str]]]:
    source, scored = tmp_path / "in.csv", tmp_path / "out.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["text"], *([t] for t in texts)])
    result = CliRunner().invoke(
        main, [*args, "triage", "score", "--input", str(source), "--output", str(scored), "--brand", BRAND]
    )
    with scored.open(encoding="utf-8") as fh:
        return result, list(csv.DictReader(fh))


def test_scoring_a_csv_for_a_brand_uses_its_active_learned_version(shop: Any, tmp_path: Path) -> None:
    store, _config, args = shop
    before, packaged = _score_csv(args, tmp_path, _slang(UNSEEN))
    assert before.exit_code == 0 and "has no active learned version" in before.output
    _teach_the_slang(store)
    assert _learn(args).exit_code == 0
    after, learned = _score_csv(args, tmp_path, _slang(UNSEEN))
    assert after.exit_code == 0 and "Tienda Luna's learned v1 (es)" in after.output
    share = [sum(r["sentiment_label"] == "pos" for r in rows) / len(rows) for rows in (packaged, learned)]
    assert share[1] >= 0.75 and share[1] > share[0]
    assert _learn(args, "--rollback").exit_code == 0
    _, back = _score_csv(args, tmp_path, _slang(UNSEEN))
    assert [r["sentiment_label"] for r in back] == [r["sentiment_label"] for r in packaged]
