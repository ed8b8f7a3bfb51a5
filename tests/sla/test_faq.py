"""The FAQ miner: recurring questions grouped, counted, with examples and the brand's best-liked answer."""

from __future__ import annotations

from social_listen.faq import mine_faq
from social_listen.metrics_sql import ResponseRules, Scope
from social_listen.store import Store
from tests.helpers import T0, brand_reply, comment
from tests.sla.builders import at, item_id, save, set_fields

QUESTIONS = {
    "c1": "¿Hacéis envíos a Canarias?",
    "c2": "Hola, ¿los envíos a Canarias cuánto tardan?",
    "c3": "¿Hay envíos a Canarias desde la web?",
    "t1": "¿Tenéis la chaqueta azul en talla S?",
    "t2": "¿Queda la chaqueta azul en talla M?",
    "solo": "¿Hacéis factura a empresa?",
    "noq": "Quiero saber el horario de la tienda física",  # a question only by its triage intent
    "praise": "Me encantó el vestido, llegó rapidísimo",
}


def seed_questions(store: Store) -> None:
    save(store, *[comment(key, n, text) for n, (key, text) in enumerate(QUESTIONS.items())])
    save(store, comment("noq2", 20, "Me gustaría saber el horario de la tienda física"))
    set_fields(store, "noq", intents="question")
    set_fields(store, "noq2", intents="store_hours;question")
    save(store,
         brand_reply("a1", "c1", 30, "Sí, enviamos a Canarias en 3-5 días."),
         brand_reply("a2", "c2", 40, "Tardan entre 3 y 5 días laborables."),
         brand_reply("auto", "c3", 41, "Gracias por escribirnos, te respondemos pronto."))  # fmt: skip
    set_fields(store, "a1", like_count=2)
    set_fields(store, "a2", like_count=5)
    set_fields(store, "auto", like_count=50, tags=["auto"])


def test_recurring_questions_are_grouped_with_counts_and_examples(store: Store) -> None:
    seed_questions(store)
    groups = mine_faq(store.engine, Scope(since=T0))
    by_size = [(g.count, sorted(g.item_ids)) for g in groups]
    canarias = sorted(item_id(store, k) for k in ("c1", "c2", "c3"))
    jackets = sorted(item_id(store, k) for k in ("t1", "t2"))
    hours = sorted(item_id(store, k) for k in ("noq", "noq2"))
    assert by_size == [(3, canarias), (2, jackets), (2, hours)] or by_size == [
        (3, canarias),
        (2, hours),
        (2, jackets),
    ]
    top = groups[0]
    assert top.brand == "Tienda Luna" and "canarias" in top.keywords
    assert len(top.examples) == 3 and top.examples[0]["id"] == item_id(store, "c3")  # newest first


def test_best_answer_is_the_most_liked_brand_reply_and_never_an_auto_reply(store: Store) -> None:
    seed_questions(store)
    groups = {g.keywords[0]: g for g in mine_faq(store.engine, Scope(since=T0))}
    canarias = next(g for g in groups.values() if "canarias" in g.keywords)
    assert canarias.best_answer is not None
    assert (
        canarias.best_answer.text == "Tardan entre 3 y 5 días laborables."
        and canarias.best_answer.like_count == 5
    )
    jackets = next(g for g in groups.values() if "chaqueta" in " ".join(g.keywords))
    assert jackets.best_answer is None


def test_auto_reply_markers_also_exclude_answers(store: Store) -> None:
    save(store, comment("q1", 0, "¿Abrís los domingos?"), comment("q2", 5, "¿Los domingos abrís la tienda?"),
         brand_reply("m1", "q1", 10, "[Respuesta automática] Te contestamos en breve"))  # fmt: skip
    set_fields(store, "m1", like_count=3)
    (group,) = mine_faq(store.engine, Scope(since=T0))
    assert group.best_answer is not None
    (marked,) = mine_faq(
        store.engine, Scope(since=T0), rules=ResponseRules({"Tienda Luna": ("[Respuesta automática]",)})
    )
    assert marked.best_answer is None


def test_period_and_minimum_count_filter_groups(store: Store) -> None:
    seed_questions(store)
    assert mine_faq(store.engine, Scope(since=at(60))) == []
    singles = mine_faq(store.engine, Scope(since=T0), min_count=1)
    assert any(g.count == 1 and g.item_ids == [item_id(store, "solo")] for g in singles)
    assert all(item_id(store, "praise") not in g.item_ids for g in singles)
