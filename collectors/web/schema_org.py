"""schema.org ``Review`` and ``AggregateRating`` from JSON-LD, microdata and RDFa (https://schema.org/Review).

JSON-LD is read script by script so one broken block does not hide the others; microdata and RDFa come
from extruct. RDFa arrives as expanded, flattened JSON-LD (full IRIs, ``@value`` lists, nodes linked by
``@id``) and is folded back into nested dicts so all three syntaxes are walked the same way.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any, TypedDict

from collectors.web.records import RatingSnapshot, WebRecord, clean_text, iso_time, number

log = logging.getLogger(__name__)

SYNTAXES = ("json-ld", "microdata", "rdfa")
REVIEW_TYPES = {"Review", "UserReview", "CriticReview", "EmployerReview"}
_SCHEMA_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)")
_RDFA_HINT = re.compile(rb"\s(?:typeof|vocab)\s*=", re.I)  # a typed RDFa node needs one of these
_MICRODATA_HINT = re.compile(rb"\sitemscope", re.I)
_JSONLD_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)\s*$")
Node = dict[str, Any]


def extract(body: bytes, encoding: str, page_url: str, syntaxes: tuple[str, ...] = SYNTAXES) -> Iterator[Any]:
    """Every review (WebRecord) and aggregate rating (RatingSnapshot) on a page, all syntaxes."""
    for syntax, roots in _documents(body, encoding, page_url, syntaxes):
        index = _index(roots)
        yield from _records(roots, index, page_url, syntax)


def _documents(
    body: bytes, encoding: str, url: str, syntaxes: tuple[str, ...]
) -> Iterator[tuple[str, list[Node]]]:
    # RDFa needs extruct's slower DOM-compatible parser (and rdflib): only pay for it when the page has RDFa.
    rdfa = "rdfa" in syntaxes and _RDFA_HINT.search(body) is not None
    tree = _parse_tree(body, encoding, rdfa)
    if tree is None:
        return
    if "json-ld" in syntaxes:
        yield "json-ld", _jsonld_roots(tree)
    if "microdata" in syntaxes and _MICRODATA_HINT.search(body):
        yield "microdata", _extruct(tree, url, "microdata")
    if rdfa:
        yield "rdfa", _extruct(tree, url, "rdfa")


def _parse_tree(body: bytes, encoding: str, rdfa: bool) -> Any:
    from extruct.utils import parse_html, parse_xmldom_html

    try:
        return (parse_xmldom_html if rdfa else parse_html)(body, encoding=encoding)
    except Exception as exc:  # noqa: BLE001 - lxml refuses some documents outright (e.g. empty)
        log.warning("page could not be parsed as HTML: %s", exc)
        return None


def _jsonld_roots(tree: Any) -> list[Node]:
    roots: list[Node] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        text = _JSONLD_WRAPPERS.sub("", script.text_content() or "")
        try:
            data = json.loads(text, strict=False)
        except ValueError as exc:
            log.warning("skipping a JSON-LD block that is not valid JSON: %s", exc)
            continue
        roots.extend(_jsonld_nodes(data))
    return roots


def _jsonld_nodes(data: Any) -> list[Node]:
    if isinstance(data, list):
        return [node for part in data for node in _jsonld_nodes(part)]
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        return [node for node in data["@graph"] if isinstance(node, dict)]
    return [data] if isinstance(data, dict) else []


def _extruct(tree: Any, url: str, syntax: str) -> list[Node]:
    import extruct

    try:
        found = extruct.extract(tree, base_url=url, syntaxes=[syntax], uniform=True)[syntax]
    except Exception as exc:  # noqa: BLE001 - one bad syntax must not hide the others
        log.warning("%s extraction failed on %s: %s", syntax, url, exc)
        return []
    return _from_rdfa(found) if syntax == "rdfa" else [_microdata_ids(node) for node in found]


def _microdata_ids(node: Any) -> Any:
    """extruct names microdata's ``itemid`` ``id``; call it ``@id`` as JSON-LD does."""
    if isinstance(node, list):
        return [_microdata_ids(part) for part in node]
    if not isinstance(node, dict):
        return node
    fixed = {
        ("@id" if key == "id" and "@type" in node else key): _microdata_ids(v) for key, v in node.items()
    }
    return fixed


def _from_rdfa(nodes: list[Node]) -> list[Node]:
    """Fold flattened RDFa (expanded JSON-LD) into nested schema.org dicts, one per unreferenced node."""
    by_id = {node["@id"]: node for node in nodes if "@id" in node}
    referenced = {ref["@id"] for node in nodes for refs in node.values() if isinstance(refs, list)
                  for ref in refs if isinstance(ref, dict) and "@id" in ref}  # fmt: skip
    roots = [node for node in nodes if node.get("@id") not in referenced and _types(node)]
    return [_compact(node, by_id, frozenset()) for node in roots]


def _compact(node: Node, by_id: dict[str, Node], seen: frozenset[str]) -> Node:
    seen = seen | {node.get("@id", "")}
    out: Node = {"@type": [_SCHEMA_PREFIX.sub("", t) for t in _as_list(node.get("@type"))]}
    if not str(node.get("@id", "")).startswith("_:"):
        out["@id"] = node.get("@id")
    for key, values in node.items():
        if key.startswith("@") or not _SCHEMA_PREFIX.match(key):
            continue
        folded = [_rdfa_value(v, by_id, seen) for v in _as_list(values)]
        out[_SCHEMA_PREFIX.sub("", key)] = folded[0] if len(folded) == 1 else folded
    return out


def _rdfa_value(value: Any, by_id: dict[str, Node], seen: frozenset[str]) -> Any:
    if isinstance(value, dict) and "@value" in value:
        return value["@value"]
    if isinstance(value, dict) and "@id" in value:
        target = by_id.get(value["@id"])
        if target is not None and value["@id"] not in seen:
            return _compact(target, by_id, seen)
        return value["@id"]
    return value


def _index(roots: list[Node]) -> dict[str, Node]:
    """Every node with an ``@id`` and more than a reference's worth of data, by id."""
    index: dict[str, Node] = {}
    for node in _all_nodes(roots):
        if isinstance(node.get("@id"), str) and len(node) > 1:
            index.setdefault(node["@id"], node)
    return index


def _all_nodes(value: Any) -> Iterator[Node]:
    if isinstance(value, list):
        for part in value:
            yield from _all_nodes(part)
    elif isinstance(value, dict):
        yield value
        for part in value.values():
            yield from _all_nodes(part)


def _records(roots: list[Node], index: dict[str, Node], page_url: str, syntax: str) -> Iterator[Any]:
    owners = _owners_by_reference(index)
    for node, owner in _walk(roots, None):
        if _types(node) & REVIEW_TYPES:
            owner = _resolve(node.get("itemReviewed"), index) or owner or owners.get(str(node.get("@id")))
            yield _review(node, owner, index, page_url, syntax)
        elif isinstance(node.get("aggregateRating"), dict):
            yield _snapshot(_resolve(node["aggregateRating"], index), node, page_url, syntax)
        elif "AggregateRating" in _types(node) and node.get("itemReviewed"):
            yield _snapshot(node, _resolve(node["itemReviewed"], index), page_url, syntax)


def _walk(value: Any, owner: Node | None) -> Iterator[tuple[Node, Node | None]]:
    """(typed node, the typed node that contains it) for every node; reviews are not walked into."""
    if isinstance(value, list):
        for part in value:
            yield from _walk(part, owner)
        return
    if not isinstance(value, dict):
        return
    types = _types(value)
    if types:
        yield value, owner
    if types & REVIEW_TYPES or "AggregateRating" in types:
        return
    inner = value if types else owner
    for key, part in value.items():
        if key not in ("aggregateRating", "itemReviewed", "author", "publisher"):
            yield from _walk(part, inner)


def _owners_by_reference(index: dict[str, Node]) -> dict[str, Node]:
    """Reviews linked from their item by ``@id`` only (JSON-LD graphs): review id -> the item."""
    owners: dict[str, Node] = {}
    for node in index.values():
        for ref in _as_list(node.get("review")) + _as_list(node.get("reviews")):
            if isinstance(ref, dict) and isinstance(ref.get("@id"), str):
                owners.setdefault(ref["@id"], node)
    return owners


def _review(node: Node, owner: Node | None, index: dict[str, Node], page_url: str, syntax: str) -> WebRecord:
    rating = _resolve(node.get("reviewRating"), index)
    rating = rating if isinstance(rating, dict) else {"ratingValue": rating}
    author = _resolve(_first(node.get("author")), index)
    body = clean_text(_first(node.get("reviewBody")) or _first(node.get("description")))
    return WebRecord(
        kind="review", page_url=page_url, text=body or clean_text(_first(node.get("name"))),
        author_name=_name(author), author_url=_text_field(author, "url"),
        published_at=iso_time(_first(node.get("datePublished") or node.get("dateCreated"))),
        updated_at=iso_time(_first(node.get("dateModified"))),
        external_id=_own_id(node, owner, page_url), rating=number(rating.get("ratingValue")),
        best_rating=number(rating.get("bestRating")), worst_rating=number(rating.get("worstRating")),
        url=_text_field(node, "url") or page_url, **_object(owner, page_url), syntax=syntax,
        raw=_plain(node),
    )  # fmt: skip


def _snapshot(rating: Node, owner: Node | None, page_url: str, syntax: str) -> RatingSnapshot:
    count = number(rating.get("ratingCount"))
    reviews = number(rating.get("reviewCount"))
    return RatingSnapshot(
        page_url=page_url, rating=number(rating.get("ratingValue")),
        best_rating=number(rating.get("bestRating")), worst_rating=number(rating.get("worstRating")),
        rating_count=int(count) if count is not None else None,
        review_count=int(reviews) if reviews is not None else None,
        **_object(owner, page_url), syntax=syntax, raw={"aggregateRating": _plain(rating)},
    )  # fmt: skip


class ReviewedObject(TypedDict):
    """What a review or aggregate rating is about."""

    object_id: str | None
    object_title: str | None
    object_url: str | None


def _object(owner: Node | None, page_url: str) -> ReviewedObject:
    """What was reviewed: its name and URL (``url``, ``mainEntityOfPage`` or ``@id``), else the page."""
    owner = owner if isinstance(owner, dict) else {}
    url = _text_field(owner, "url") or _text_field(owner, "mainEntityOfPage") or _http_id(owner) or page_url
    title = clean_text(_first(owner.get("name") or owner.get("headline"))) or None
    return ReviewedObject(object_id=_http_id(owner) or url, object_title=title, object_url=url)


def _own_id(node: Node, owner: Node | None, page_url: str) -> str | None:
    """The review's ``@id`` when it names the review itself (not the page or the item reviewed)."""
    own = node.get("@id")
    if not isinstance(own, str) or not own.strip() or own.startswith("_:"):
        return None
    if own in (page_url, (owner or {}).get("@id")):
        return None
    return own.strip()


def _resolve(value: Any, index: dict[str, Node]) -> Any:
    """A bare ``{"@id": ...}`` reference replaced by the node it points at, when the page has it."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        return index.get(value["@id"], value)
    return value


def _types(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    return {_SCHEMA_PREFIX.sub("", str(t)) for t in _as_list(node.get("@type"))}


def _name(author: Any) -> str:
    if isinstance(author, dict):
        return clean_text(_first(author.get("name")) or _first(author.get("alternateName")))
    return clean_text(author) if isinstance(author, str) else ""


def _text_field(node: Any, key: str) -> str | None:
    value = _first(node.get(key)) if isinstance(node, dict) else None
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _http_id(node: Node) -> str | None:
    value = node.get("@id")
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else (None if isinstance(value, list) else value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _plain(node: Any) -> Any:
    """The node as JSON-safe data (extruct may leave lxml objects in microdata)."""
    return json.loads(json.dumps(node, default=str))
