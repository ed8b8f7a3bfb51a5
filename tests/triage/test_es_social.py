"""Our own labelled Spanish social-media posts (data/es_social): well-formed, balanced, varied."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "es_social"


def rows() -> list[dict[str, str]]:
    with (DATA / "train.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_posts_are_labelled_spanish_and_unique() -> None:
    data = rows()
    assert len(data) >= 600
    assert {r["label"] for r in data} == {"neg", "neu", "pos"}
    assert {r["lang"] for r in data} == {"es"}
    texts = [" ".join(r["text"].lower().split()) for r in data]
    assert len(set(texts)) == len(texts)
    assert all(r["text"].strip() for r in data)


def test_posts_are_balanced_and_from_several_regions() -> None:
    data = rows()
    labels = Counter(r["label"] for r in data)
    assert max(labels.values()) - min(labels.values()) <= len(data) // 20
    regions = Counter(r["region"] for r in data)
    assert {"ES", "AR", "MX", "CO", "CL"} <= set(regions)


def test_the_set_says_where_it_comes_from() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "written by the social-listen project" in readme and "MIT" in readme
