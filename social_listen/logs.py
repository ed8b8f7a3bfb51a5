"""Logging for people and for cron: plain lines on stderr, with every known secret masked."""

from __future__ import annotations

import logging
import re
import sys

_SECRETS: set[str] = set()
_QUERY_SECRET = re.compile(
    r"(?i)((?:access_token|key|api_key|apikey|token|consumer_key|consumer_secret|client_secret|password)=)[^&\s\"']+"
)
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
# Client libraries that log full request URLs (with tokens in query strings) at INFO.
_CHATTY = ("httpx", "httpcore", "googleapiclient.discovery", "urllib3", "scrapy", "tweepy")


def register_secret(value: str) -> None:
    """Remember a secret value so it is masked wherever it would be logged."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def redact(text: str) -> str:
    """``text`` with registered secrets, token query parameters and bearer tokens replaced by ***."""
    for secret in _SECRETS:
        text = text.replace(secret, "***")
    return _BEARER.sub(r"\1***", _QUERY_SECRET.sub(r"\1***", text))


class RedactingFilter(logging.Filter):
    """Masks secrets in every record that passes through a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def setup_logging(verbose: int = 0) -> None:
    """Log to stderr: warnings by default, info with -v, debug with -vv; secrets always masked."""
    level = logging.WARNING - 10 * min(verbose, 2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
