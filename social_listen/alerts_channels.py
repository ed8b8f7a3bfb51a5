"""Where alerts go: a Slack-compatible webhook, e-mail over SMTP, a Telegram bot.

A channel's ``send`` returns when the message was delivered, raises ``NotDelivered`` when we know it did not get
through (connection refused, the server answered with an error: safe to try again later), and raises
``MaybeDelivered`` when the request left and no answer came back (a timeout mid-request): such a message is
never sent again automatically, so nobody gets the same alert twice.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

import httpx

from social_listen.config import Config, load_secrets, resolve_secret
from social_listen.errors import SocialListenError

TELEGRAM_LIMIT = 4096  # characters per message (https://core.telegram.org/bots/api#sendmessage)


class NotDelivered(SocialListenError):
    """The channel certainly did not deliver the message (it can be tried again)."""


class MaybeDelivered(SocialListenError):
    """The channel may have delivered the message; it is not sent again automatically."""


@dataclass(frozen=True)
class Message:
    """An alert as channels send it."""

    rule: str
    brand: str | None
    title: str
    body: str

    def text(self) -> str:
        """Title and body as plain text."""
        return f"{self.title}\n{self.body}".strip()


class Channel(Protocol):
    """Sends alert messages somewhere."""

    name: str

    def accepts(self, rule: str, brand: str | None) -> bool: ...

    def send(self, message: Message) -> None: ...


@dataclass
class _Filter:
    rules: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()

    def accepts(self, rule: str, brand: str | None) -> bool:
        """True when the channel takes this rule's alerts for this brand (empty lists take everything)."""
        return (not self.rules or rule in self.rules) and (
            not self.brands or brand is None or brand in self.brands
        )


def _post_json(url: str, payload: dict[str, Any], timeout: float, what: str) -> httpx.Response:
    """POST JSON; errors are classified as NotDelivered or MaybeDelivered, never showing the URL."""
    try:
        return httpx.post(url, json=payload, timeout=timeout)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol) as exc:
        raise NotDelivered(f"{what}: could not connect ({type(exc).__name__})") from None
    except httpx.TransportError as exc:
        raise MaybeDelivered(f"{what}: no answer after sending ({type(exc).__name__})") from None


class WebhookChannel(_Filter):
    """A Slack-compatible incoming webhook: ``{"text": ...}`` (Slack, Mattermost, Rocket.Chat, Google Chat)."""

    name = "webhook"

    def __init__(
        self, url: str, timeout: float = 10.0, rules: tuple[str, ...] = (), brands: tuple[str, ...] = ()
    ):
        super().__init__(rules, brands)
        self.url, self.timeout = url, timeout

    def send(self, message: Message) -> None:
        """POST the message; a 2xx answer means delivered."""
        response = _post_json(
            self.url, {"text": f"*{message.title}*\n{message.body}"}, self.timeout, "webhook"
        )
        if not response.is_success:
            raise NotDelivered(f"webhook answered HTTP {response.status_code}: {response.text[:200]}")


class TelegramChannel(_Filter):
    """A Telegram bot posting to a chat with ``sendMessage`` (https://core.telegram.org/bots/api)."""

    name = "telegram"

    def __init__(
        self,
        token: str,
        chat_id: str | int,
        base_url: str = "https://api.telegram.org",
        timeout: float = 10.0,
        rules: tuple[str, ...] = (),
        brands: tuple[str, ...] = (),
    ) -> None:
        super().__init__(rules, brands)
        self.token, self.chat_id, self.base_url, self.timeout = token, chat_id, base_url.rstrip("/"), timeout

    def send(self, message: Message) -> None:
        """Send as plain text (no parse mode: alert texts quote customers and must not be read as markup)."""
        payload = {
            "chat_id": self.chat_id,
            "text": message.text()[:TELEGRAM_LIMIT],
            "disable_web_page_preview": True,
        }
        response = _post_json(
            f"{self.base_url}/bot{self.token}/sendMessage", payload, self.timeout, "telegram"
        )
        body = _json_or_empty(response)
        if not response.is_success or not body.get("ok"):
            # Telegram answers {"ok": false, "error_code": 429, "description": ..., "parameters": {"retry_after": n}}
            raise NotDelivered(
                f"telegram answered {response.status_code}: {body.get('description', '')}"[:300]
            )


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class SmtpChannel(_Filter):
    """E-mail through an SMTP server (STARTTLS and login when configured)."""

    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        to: tuple[str, ...],
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 10.0,
        rules: tuple[str, ...] = (),
        brands: tuple[str, ...] = (),
    ) -> None:
        super().__init__(rules, brands)
        self.host, self.port, self.sender, self.to = host, port, sender, to
        self.username, self.password, self.starttls, self.timeout = username, password, starttls, timeout

    def email(self, message: Message) -> EmailMessage:
        """The e-mail for a message."""
        email = EmailMessage()
        email["Subject"], email["From"], email["To"] = message.title, self.sender, ", ".join(self.to)
        email.set_content(message.body or message.title)
        return email

    def send(self, message: Message) -> None:
        """Connect, log in, send; failures before the data was handed over are NotDelivered."""
        client = self._connect()
        try:
            self._hand_over(client, self.email(message))
        finally:
            _quietly_quit(client)

    def _connect(self) -> smtplib.SMTP:
        try:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                client.starttls()
            if self.username and self.password:
                client.login(self.username, self.password)
        except (OSError, smtplib.SMTPException) as exc:
            raise NotDelivered(f"smtp {self.host}:{self.port}: {type(exc).__name__}: {exc}"[:300]) from None
        return client

    def _hand_over(self, client: smtplib.SMTP, email: EmailMessage) -> None:
        try:
            client.send_message(email)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise NotDelivered(f"smtp refused the message: {exc}"[:300]) from None
        except (OSError, smtplib.SMTPException) as exc:  # includes timeouts
            raise MaybeDelivered(f"smtp connection lost while sending: {type(exc).__name__}") from None


def _quietly_quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


def channels_from_config(config: Config, environ: Mapping[str, str] | None = None) -> list[Channel]:
    """The configured channels with their secrets resolved (a missing secret names the field)."""
    import os

    environ = os.environ if environ is None else environ
    secrets = load_secrets(config, environ)
    configured = config.alerts.channels

    def secret(ref: Any, where: str) -> str:
        return resolve_secret(ref, f"alerts.channels.{where}", environ, secrets)

    found: list[Channel] = []
    if (hook := configured.webhook) is not None:
        found.append(
            WebhookChannel(
                secret(hook.url, "webhook.url"), hook.timeout, tuple(hook.rules), tuple(hook.brands)
            )
        )
    if (mail := configured.smtp) is not None:
        user = secret(mail.username, "smtp.username") if mail.username is not None else None
        password = secret(mail.password, "smtp.password") if mail.password is not None else None
        found.append(SmtpChannel(mail.host, mail.port, mail.from_address, tuple(mail.to), user, password,
                                 mail.starttls, mail.timeout, tuple(mail.rules), tuple(mail.brands)))  # fmt: skip
    if (bot := configured.telegram) is not None:
        token = secret(bot.bot_token, "telegram.bot_token")
        found.append(
            TelegramChannel(
                token, bot.chat_id, bot.base_url, bot.timeout, tuple(bot.rules), tuple(bot.brands)
            )
        )
    return found
