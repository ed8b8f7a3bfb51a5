"""FAQ miner: recurring customer questions per brand and period, with the brand's best public answer.

A question is a customer item whose intents include ``question`` (set by triage) or whose text has ``?`` or
``¿``. Questions are grouped by meaning with TF-IDF over their words (accents folded, Spanish and English filler
words dropped, a final plural ``s`` folded so "envío" and "envíos" match) and leader clustering: each question joins the most similar earlier group leader when
their cosine similarity reaches ``threshold``, else it leads a new group. The best answer to a group is the
brand's own reply under one of its questions with the most likes (ties: the earliest); auto-replies never count.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, literal, not_, or_, select

from social_listen.db.engine import reading
from social_listen.db.tables import brands, items
from social_listen.metrics_sql import ResponseRules, Scope, contains_text, intent_condition

QUESTION_INTENT = "question"
MAX_QUESTIONS = 5000
EXAMPLES = 3
EXCERPT = 300
WORD = re.compile(r"(?u)\b[^\W\d_]{2,}\b")  # words of two letters or more, no digits
# Filler words (accents folded, as the vectorizer sees them): question words are here too, so "¿cuándo llega?"
# and "¿cuándo abrís?" are not grouped just for sharing "cuándo".
STOP_WORDS = frozenset(
    """a al algo alguien algun alguna alguno algunos ante antes como con cual cuales cuando cuanto cuanta
    cuantos cuantas de del donde el ella ellos en entre era es esa ese eso esta estan este esto estoy fue ha
    hay hace hacen la las le les lo los me mi mis mucho muy nada ni no nos nosotros o os otra otro para pero
    poco por porque puede pueden puedo que quien se sea si sin sobre son su sus tambien te teneis tengo ti
    tiene tienen todo tu tus un una uno unos unas usted ustedes vosotros y ya yo hola buenas buenos dias
    gracias saludos favor haceis hacen quiero queria saber gustaria podeis podrian teneis queda quedan
    about an and any are as at be been but by can could did do does for from had has have hello hi how i if
    in is it its me my no not of on or our please so than thanks that the their them then there they this to
    us was we were what when where which who why will with would you your""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class FaqAnswer:
    """The brand's reply chosen as the answer to a group."""

    item_id: int
    text: str
    like_count: int
    published_at: datetime
    url: str | None


@dataclass
class FaqGroup:
    """A recurring question: how often it was asked, examples, and the best answer given."""

    brand: str
    label: str
    keywords: list[str]
    count: int
    item_ids: list[int]
    examples: list[dict[str, Any]] = field(default_factory=list)
    best_answer: FaqAnswer | None = None

    def as_dict(self) -> dict[str, Any]:
        """The group as plain data."""
        return asdict(self)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def _fold(word: str) -> str:
    plain = _plain(word)
    return plain[:-1] if len(plain) > 4 and plain.endswith("s") and not plain.endswith("ss") else plain


def terms(text: str) -> list[str]:
    """The words of a question that carry its meaning: lower case, no accents, no filler, plurals folded."""
    return [_fold(w) for w in WORD.findall(text.lower()) if _plain(w) not in STOP_WORDS]


def _surface(term: str, texts: Sequence[str]) -> str:
    """The commonest way the group wrote a folded term ("envíos" for "envio")."""
    found = Counter(w for text in texts for w in WORD.findall(text.lower()) if _fold(w) == term)
    return found.most_common(1)[0][0] if found else term


def is_question() -> Any:
    """SQL: the item is a question (triage intent, or a question mark in either language)."""
    return or_(
        intent_condition(items.c.intents, QUESTION_INTENT),
        contains_text(items.c.text, literal("?")),
        contains_text(items.c.text, literal("¿")),
    )


def question_rows(engine: Engine, scope: Scope, limit: int = MAX_QUESTIONS) -> list[Any]:
    """The newest customer questions in scope (at most ``limit``), oldest first."""
    query = (
        select(items.c.id, brands.c.name.label("brand"), items.c.platform, items.c.external_id,
               func.substr(items.c.text, 1, EXCERPT).label("text"), items.c.published_at, items.c.url)
        .select_from(items.join(brands, brands.c.id == items.c.brand_id))
        .where(items.c.is_own.is_(False), items.c.status != "ignored", is_question(), *scope.conditions())
        .order_by(items.c.published_at.desc(), items.c.id.desc())
        .limit(limit)
    )  # fmt: skip
    with reading(engine) as conn:
        return list(reversed(conn.execute(query).all()))


def mine_faq(
    engine: Engine,
    scope: Scope = Scope(),
    min_count: int = 2,
    threshold: float = 0.3,
    rules: ResponseRules = ResponseRules(),
) -> list[FaqGroup]:
    """Groups of at least ``min_count`` similar questions per brand, most asked first, with best answers."""
    rows = question_rows(engine, scope)
    groups: list[FaqGroup] = []
    for brand in sorted({r.brand for r in rows}):
        mine = [r for r in rows if r.brand == brand]
        groups += [g for g in _cluster(brand, mine, threshold) if g.count >= min_count]
    groups.sort(key=lambda g: (-g.count, g.brand, g.label))
    by_id = {r.id: r for r in rows}
    for group in groups:
        group.best_answer = best_answer(engine, [by_id[i] for i in group.item_ids], rules)
    return groups


def _cluster(brand: str, rows: Sequence[Any], threshold: float) -> list[FaqGroup]:
    from sklearn.feature_extraction.text import TfidfVectorizer  # late: heavy, only needed here

    if not rows:
        return []
    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([r.text for r in rows])
    except ValueError:  # nothing but filler words
        return []
    members = _leaders(matrix, threshold)
    vocabulary = vectorizer.get_feature_names_out()
    return [_group(brand, rows, indexes, matrix, vocabulary) for indexes in members]


def _leaders(matrix: Any, threshold: float) -> list[list[int]]:
    """Leader clustering on L2-normalised rows: join the most similar leader at or above the threshold."""
    similarity = (matrix @ matrix.T).tocsr()
    leaders: list[int] = []
    members: dict[int, list[int]] = {}
    for index in range(matrix.shape[0]):
        row = similarity.getrow(index).toarray().ravel()
        best = max(leaders, key=lambda lead: row[lead], default=None)
        if best is not None and row[best] >= threshold and matrix[index].nnz:
            members[best].append(index)
        else:
            leaders.append(index)
            members[index] = [index]
    return [members[lead] for lead in leaders]


def _group(brand: str, rows: Sequence[Any], indexes: list[int], matrix: Any, terms: Any) -> FaqGroup:
    weights = matrix[indexes].sum(axis=0).A1
    chosen = [rows[i] for i in indexes]
    texts = [str(r.text) for r in chosen]
    top = [_surface(str(terms[i]), texts) for i in weights.argsort()[::-1][:3] if weights[i] > 0]
    examples = [
        {"id": r.id, "text": r.text, "platform": r.platform, "published_at": r.published_at, "url": r.url}
        for r in sorted(chosen, key=lambda r: r.published_at, reverse=True)[:EXAMPLES]
    ]
    return FaqGroup(brand, " · ".join(top), top, len(chosen), [r.id for r in chosen], examples)


def best_answer(
    engine: Engine, questions: Sequence[Any], rules: ResponseRules = ResponseRules()
) -> FaqAnswer | None:
    """The brand's most-liked public reply directly under one of these questions (not an auto-reply)."""
    if not questions:
        return None
    own = items.alias("own")
    under = or_(*(
        and_(own.c.platform == q.platform, own.c.parent_external_id == q.external_id) for q in questions[:500]
    ))  # fmt: skip
    query = (
        select(
            own.c.id,
            own.c.text,
            func.coalesce(own.c.like_count, 0).label("likes"),
            own.c.published_at,
            own.c.url,
        )
        .where(own.c.is_own.is_(True), under, not_(rules.is_auto(own)))
        .order_by(func.coalesce(own.c.like_count, 0).desc(), own.c.published_at, own.c.id)
        .limit(1)
    )
    with reading(engine) as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return FaqAnswer(int(row.id), str(row.text), int(row.likes), row.published_at, row.url)
