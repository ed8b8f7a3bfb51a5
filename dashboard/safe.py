"""Comments, author names, titles and links come from strangers: they are shown as text, never as markup."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Markdown (CommonMark + Streamlit's extras: :color[...] directives, :emoji: shortcodes, $math$) and HTML
# characters. Backslash-escaping every ASCII punctuation character is always valid CommonMark.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&\"'=^%@/])")


def md(text: object, limit: int | None = None) -> str:
    """``text`` made safe to put inside Markdown (captions, labels): every markup character is escaped
    and line breaks become spaces."""
    value = " ".join(str(text or "").split())
    if limit is not None and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return _SPECIAL.sub(r"\\\1", value)


def url(value: object) -> str | None:
    """The link if it is a plain http(s) URL, else None (no javascript:, data: or relative links)."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc and not any(c in text for c in "\n\r\t <>\"'"):
        return text
    return None
