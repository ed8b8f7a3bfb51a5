"""A small, fully known inbox for the dashboard tests: three users, four sources, ~40 triaged items,
a thread with the brand's reply, saved replies, and one comment that tries to inject HTML and script."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select, update

from social_listen.config import Config
from social_listen.db.tables import authors, brands, items, saved_replies, users
from social_listen.model import Author, Item, Page, utcnow
from social_listen.outbox import new_id
from social_listen.store import Store
from social_listen.triage.priority import INTENT_REASONS
from tests.conftest import make_config

Renamer = Callable[[str, str, datetime], str]
PASSWORD = "luna-secret-42"
USERS = {"ana": ("admin", "es"), "beto": ("agent", "es"), "vera": ("viewer", "en")}
HOSTILE_TEXT = (
    '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> '
    "[gana un premio](https://evil.example/phish) **negrita** <b>html</b> <a href='https://evil.example'>link</a>"
)
CUSTOMERS = ("Lucía Fernández", "Carlos Gómez", "Valentina Ríos", "Mateo Herrera", "Sofía Martín", "Diego Pardo",
             "Emma Wilson", "Noah Brown", "Camila Torres", "Julián Castro", "Olivia Smith", "Martina Sosa")  # fmt: skip
SOURCES = {
    "luna-youtube": "youtube",
    "luna-facebook": "facebook",
    "luna-reviews": "google_reviews",
    "luna-file": "file",
}
ES_NEG = [
    ("El pedido no llega desde hace dos semanas, nadie contesta", "not_received;no_answer", 0.95),
    ("Me cobraron dos veces y no me devuelven el dinero", "payment;return_refund", 0.9),
    ("La talla M es enorme, quiero cambiarla ya", "size_fit;return_refund", 0.7),
    ("Producto roto al abrir la caja, una estafa", "defective;scam", 0.85),
    ("¿Dónde está mi paquete? Llevo diez días esperando", "shipping;question", 0.8),
    ("Pésima atención, no vuelvo a comprar", "no_answer", 0.6),
]
ES_OTHER = [
    ("¿Tenéis la chaqueta azul en talla S?", "neu", "stock;question", 0.5),
    ("¡Me encantó el vestido, llegó rapidísimo!", "pos", "praise", 0.2),
    ("¿Hacéis factura a empresa?", "neu", "invoice;question", 0.45),
    ("Gracias por la atención, todo perfecto", "pos", "praise", 0.1),
    ("Precio 100% rebajado? jaja", "neu", "price_discount", 0.3),
]
EN_ITEMS = [
    ("My order never arrived and nobody answers emails", "neg", "not_received;no_answer", 0.92),
    ("Charged twice for one jacket, please refund", "neg", "payment;return_refund", 0.88),
    ("Do you ship to Canada?", "neu", "shipping;question", 0.5),
    ("Love the new collection!", "pos", "praise", 0.15),
    ("Is the blue scarf back in stock?", "neu", "stock;question", 0.4),
    ("The zipper broke after one week", "neg", "defective", 0.75),
]


@dataclass
class Seeded:
    """What the seed created, for assertions."""

    store: Store
    config: Config
    users: dict[str, int]
    items: dict[str, int] = field(default_factory=dict)
    brand_id: int = 0


def _sources(facebook_url: str | None, token: str) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = []
    for name, platform in SOURCES.items():
        source: dict[str, Any] = {"name": name, "brand": "Tienda Luna", "platform": platform, "target": name}
        if platform == "facebook":
            source["target"] = "104729112345678"
            source["credentials"] = {"page_token": token}
            if facebook_url:
                source["base_url"] = facebook_url
        sources.append(source)
    return sources


def seed_config(facebook_url: str | None = None, token: str = "test-page-token") -> Config:
    """The test config: one bilingual brand and four sources (Facebook optionally on a fake server)."""
    return make_config(sources=_sources(facebook_url, token))


def write_config(
    path: Path, database: Path, facebook_url: str | None = None, token: str = "test-page-token"
) -> Path:
    """The same config as a TOML file pointing at a SQLite database (for the app and the CLI)."""
    lines = [f"database_url = {json.dumps(f'sqlite:///{database}')}", "",
             "[[brands]]", 'name = "Tienda Luna"', 'timezone = "Europe/Madrid"', 'languages = ["es", "en"]']  # fmt: skip
    for source in _sources(facebook_url, token):
        lines += ["", "[[sources]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in source.items() if key != "credentials"]
        for key, value in source.get("credentials", {}).items():
            lines.append(f"credentials.{key} = {json.dumps(value)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed(
    store: Store,
    config: Config | None = None,
    now: datetime | None = None,
    facebook_id: Renamer | None = None,
) -> Seeded:
    """Fill ``store`` with the known inbox (the schema must exist). ``facebook_id(key, text, at)`` gives the
    Facebook comments the ids a fake Graph server knows them by."""
    config = config or seed_config()
    store.sync_config(config)
    now = now or utcnow()
    done = Seeded(store=store, config=config, users=_users(store))
    specs = _item_specs(now)
    for spec in specs:
        if facebook_id and SOURCES[spec["source"]] == "facebook":
            spec["ext"] = facebook_id(spec["key"], spec["text"], spec["at"])
    _save(store, specs)
    _thread(store, now)
    _triage(store, specs)
    with store.engine.connect() as conn:
        ids = {str(e): int(i) for e, i in conn.execute(select(items.c.external_id, items.c.id))}
        done.brand_id = int(conn.execute(select(brands.c.id)).scalar_one())
    keys = {spec["ext"]: spec["key"] for spec in specs}
    done.items = {keys.get(ext, ext): item_id for ext, item_id in ids.items()}
    _saved_replies(store, done.brand_id)
    _vip(store)
    return done


@cache
def password_hash() -> str:
    """The argon2 hash of PASSWORD, computed once (hashing is slow on purpose)."""
    return PasswordHasher().hash(PASSWORD)


def _users(store: Store) -> dict[str, int]:
    ids = {}
    with store.engine.begin() as conn:
        for name, (role, lang) in USERS.items():
            row = {"name": name, "display_name": name.capitalize(), "role": role, "language": lang,
                   "password_hash": password_hash(), "brands": [], "active": True, "created_at": utcnow()}  # fmt: skip
            ids[name] = new_id(conn.execute(users.insert().values(**row)))
    return ids


def _spec(ext: str, source: str, text: str, lang: str, sentiment: str, intents: str, priority: float,
          minutes_ago: int, now: datetime, **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"key": ext, "ext": ext, "source": source, "text": text, "lang": lang, "sentiment": sentiment,
            "intents": intents, "priority": priority, "at": now - timedelta(minutes=minutes_ago), **extra}  # fmt: skip


def _item_specs(now: datetime) -> list[dict[str, Any]]:
    specs = []
    for n, (text, intents, prio) in enumerate(ES_NEG):
        specs.append(
            _spec(f"fb-es-neg-{n}", "luna-facebook", text, "es", "neg", intents, prio, 60 + 90 * n, now)
        )
    for n, (text, sentiment, intents, prio) in enumerate(ES_OTHER):
        specs.append(
            _spec(f"yt-es-{n}", "luna-youtube", text, "es", sentiment, intents, prio, 30 + 200 * n, now)
        )
    for n, (text, sentiment, intents, prio) in enumerate(EN_ITEMS):
        specs.append(
            _spec(f"yt-en-{n}", "luna-youtube", text, "en", sentiment, intents, prio, 45 + 170 * n, now)
        )
    for stars in range(1, 6):
        sentiment = "neg" if stars <= 2 else "neu" if stars == 3 else "pos"
        specs.append(_spec(f"gr-{stars}", "luna-reviews", f"Reseña de {stars} estrellas para la tienda", "es",
                           sentiment, "", 0.4 if stars > 2 else 0.8, 300 * stars, now, rating=float(stars),
                           kind="review"))  # fmt: skip
    for n in range(12):
        specs.append(_spec(f"file-{n:02d}", "luna-file", f"Consulta número {n} sobre envíos", "es", "neu",
                           "shipping", 0.05, 2000 + 60 * n, now))  # fmt: skip
    specs.append(_spec("fb-hostile", "luna-facebook", HOSTILE_TEXT, "es", "neg", "spam", 0.99, 5, now,
                       author="<img src=x onerror=alert(1)> [Ana](javascript:alert(1))"))  # fmt: skip
    return specs


def _item(spec: dict[str, Any]) -> Item:
    platform = SOURCES[spec["source"]]
    author_name = spec.get("author") or CUSTOMERS[sum(map(ord, spec["key"])) % len(CUSTOMERS)]
    return Item(
        platform=platform, external_id=spec["ext"], text=spec["text"], published_at=spec["at"],
        kind=spec.get("kind", "comment"), author=Author(external_id=f"a-{spec['ext']}", name=author_name),
        thread_external_id=spec["ext"], object_id="post-1", object_title="Chaqueta Luna azul",
        object_url="https://shop.example/chaqueta", rating=spec.get("rating"), language=spec["lang"],
        url=f"https://{platform}.example/{spec['ext']}",
    )  # fmt: skip


def _save(store: Store, specs: list[dict[str, Any]]) -> None:
    for source in SOURCES:
        batch = [_item(s) for s in specs if s["source"] == source]
        store.save_page(source, Page(batch))


def _thread(store: Store, now: datetime) -> None:
    """A comment answered by the brand, and the customer's follow-up (one thread on YouTube)."""
    at = now - timedelta(days=2)
    person = Author(external_id="a-maria", name="María López", handle="marialopez")
    top = Item(platform="youtube", external_id="yt-thread", text="¿Llega antes de Navidad?", published_at=at,
               author=person, thread_external_id="yt-thread", language="es")  # fmt: skip
    own = Item(platform="youtube", external_id="yt-thread-brand", text="¡Sí! Sale mañana.",
               published_at=at + timedelta(hours=1), kind="reply", is_own=True, parent_external_id="yt-thread",
               thread_external_id="yt-thread", author=Author(external_id="brand", name="Tienda Luna"))  # fmt: skip
    follow = Item(platform="youtube", external_id="yt-thread-follow", text="Sigue sin llegar, ¿qué pasa?",
                  published_at=at + timedelta(days=1), kind="reply", parent_external_id="yt-thread",
                  thread_external_id="yt-thread", author=person, language="es")  # fmt: skip
    store.save_page("luna-youtube", Page([top, own, follow]))
    on_facebook = Item(platform="facebook", external_id="fb-maria", text="Escribo también por aquí",
                       published_at=at - timedelta(days=3), author=Author(external_id="fbm", name="María López"),
                       language="es")  # fmt: skip
    store.save_page("luna-facebook", Page([on_facebook]))


def _triage(store: Store, specs: list[dict[str, Any]]) -> None:
    with store.engine.begin() as conn:
        for spec in specs:
            conn.execute(
                update(items).where(items.c.external_id == spec["ext"]).values(
                    sentiment_label=spec["sentiment"], fast_reply=spec["sentiment"] == "neg",
                    intents=spec["intents"], priority=spec["priority"],
                    priority_reasons=_reasons(spec), triaged_at=utcnow(),
                    sentiment_score={"neg": -0.6, "neu": 0.0, "pos": 0.6}[spec["sentiment"]])
            )  # fmt: skip
        conn.execute(update(items).where(items.c.external_id == "yt-thread-follow")
                     .values(sentiment_label="neg", fast_reply=True, intents="shipping", priority=0.65))  # fmt: skip


def _reasons(spec: dict[str, Any]) -> str:
    """Readable reasons, as triage writes them (in English; the dashboard translates them)."""
    parts = ["negative"] if spec["sentiment"] == "neg" else []
    parts += [INTENT_REASONS[name] for name in spec["intents"].split(";") if name in INTENT_REASONS]
    return " · ".join([*parts, "2 days open"])


def _saved_replies(store: Store, brand_id: int) -> None:
    rows = [
        {"title": "Pedido retrasado", "intent": "not_received", "language": "es",
         "text": "Hola {name}, lamentamos el retraso. {Escríbenos|Escríbanos|Escribinos} por privado y lo miramos."},
        {"title": "Reembolso", "intent": "return_refund", "language": "es",
         "text": "Hola {name}, ya estamos tramitando tu reembolso."},
        {"title": "Refund", "intent": "return_refund", "language": "en", "text": "Hi {name}, your refund is on its way."},
        {"title": "Gracias por la reseña", "language": "es", "min_rating": 4.0,
         "text": "¡Gracias {name}! Nos alegra que te guste {product}."},
        {"title": "Sentimos la mala experiencia", "language": "es", "max_rating": 2.0,
         "text": "Hola {name}, sentimos mucho tu experiencia con {product}."},
    ]  # fmt: skip
    with store.engine.begin() as conn:
        for row in rows:
            conn.execute(saved_replies.insert().values(brand_id=brand_id, created_at=utcnow(), **row))


def _vip(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(authors).where(authors.c.external_id == "a-maria").values(tags=["vip"]))
