"""Alert delivery: recorded as decided before sending, never sent twice, channels tested on local servers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from social_listen import alerts_outbox
from social_listen.alerts import run_alerts
from social_listen.alerts_channels import (
    Message,
    NotDelivered,
    SmtpChannel,
    TelegramChannel,
    WebhookChannel,
    channels_from_config,
)
from social_listen.alerts_outbox import AlertDecision, alert_rows, decide, deliver_pending, resolve_delivery
from social_listen.config import Config
from social_listen.errors import SocialListenError
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.server import FakeServer, Request, Response, json_response
from tests.fakes.smtp import FakeSmtpServer
from tests.helpers import T0, comment
from tests.sla.builders import at, save, set_fields

ONLY_NEGATIVES = {name: name == "new_negative" for name in (
    "new_negative", "sla_at_risk", "sla_breached", "negative_spike", "first_negative_review", "reply_window",
    "quota_exhausted", "source_failing", "digest")}  # fmt: skip
TOKEN = "123456:ABC-secret-token"


def config() -> Config:
    return make_config(alerts={"rules": ONLY_NEGATIVES})


@pytest.fixture
def hook() -> Iterator[FakeServer]:
    with FakeServer() as server:
        server.route("POST", "/hook", lambda request: Response(200, raw=b"ok"))
        yield server


def negative(store: Store, key: str = "n1", minutes: float = 0) -> None:
    save(store, comment(key, minutes, "El pedido llegó roto y nadie contesta"))
    set_fields(store, key, sentiment_label="neg")


def decision(key: str = "w1") -> AlertDecision:
    return AlertDecision(
        "new_negative", "Tienda Luna", key, "Tienda Luna", "1 comentario negativo nuevo", "- texto"
    )


def test_alert_is_sent_once_and_recorded_before_and_after(store: Store, hook: FakeServer) -> None:
    negative(store)
    channel = WebhookChannel(hook.url + "/hook")
    first = run_alerts(store.engine, config(), [channel], now=at(10))
    assert len(first.decided) == 1 and first.deliveries == {"sent": 1}
    again = run_alerts(store.engine, config(), [channel], now=at(11))
    assert again.decided == [] and sum(again.deliveries.values()) == 0
    assert len(hook.calls("POST", "/hook")) == 1
    (row,) = alert_rows(store.engine)
    assert (row["rule"], row["status"], row["attempts"]) == ("new_negative", "sent", 1) and row["sent_at"]
    assert "nadie contesta" in hook.calls()[0].json()["text"]


def test_crash_after_deciding_sends_exactly_once_on_the_next_run(
    store: Store, hook: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    negative(store)
    channel = WebhookChannel(hook.url + "/hook")

    def killed(*args: object, **kwargs: object) -> None:
        raise SystemExit("killed between decided and sent")

    monkeypatch.setattr(alerts_outbox, "deliver_pending", killed)
    with pytest.raises(SystemExit):
        run_alerts(store.engine, config(), [channel], now=at(10))
    assert [r["status"] for r in alert_rows(store.engine)] == ["pending"] and hook.calls() == []
    monkeypatch.undo()
    later = run_alerts(store.engine, config(), [channel], now=at(12))
    assert later.decided == [] and later.deliveries == {"sent": 1}
    run_alerts(store.engine, config(), [channel], now=at(14))
    assert len(hook.calls("POST", "/hook")) == 1


class DiesAfterSending:
    """The process is killed right after the request reached the channel, before the answer is recorded."""

    name = "webhook"

    def __init__(self, inner: WebhookChannel) -> None:
        self.inner = inner

    def accepts(self, rule: str, brand: str | None) -> bool:
        return True

    def send(self, message: Message) -> None:
        self.inner.send(message)
        raise SystemExit("killed")


def test_crash_while_sending_is_never_sent_again_and_shows_as_uncertain(
    store: Store, hook: FakeServer
) -> None:
    negative(store)
    real = WebhookChannel(hook.url + "/hook")
    with pytest.raises(SystemExit):
        run_alerts(store.engine, config(), [DiesAfterSending(real)], now=at(10))
    assert [r["status"] for r in alert_rows(store.engine)] == ["sending"]
    soon = run_alerts(store.engine, config(), [real], now=at(12))  # another run may still be sending: wait
    assert sum(soon.deliveries.values()) == 0
    later = run_alerts(store.engine, config(), [real], now=at(30))
    assert later.deliveries == {"uncertain": 1}
    run_alerts(store.engine, config(), [real], now=at(40))
    assert len(hook.calls("POST", "/hook")) == 1
    (row,) = alert_rows(store.engine, delivery_status="uncertain")
    resolve_delivery(store.engine, row["delivery_id"], "sent")
    assert alert_rows(store.engine)[0]["status"] == "sent"
    with pytest.raises(SocialListenError, match="not uncertain or failed"):
        resolve_delivery(store.engine, row["delivery_id"], "retry")


def test_timeout_after_the_channel_got_it_is_uncertain_not_retried(sqlite_store: Store) -> None:
    sqlite_store.sync_config(config())
    negative(sqlite_store)
    with FakeServer() as slow:
        slow.route("POST", "/hook", lambda request: Response(200, raw=b"ok", delay=1.0))
        channel = WebhookChannel(slow.url + "/hook", timeout=0.2)
        first = run_alerts(sqlite_store.engine, config(), [channel], now=at(10))
        assert first.deliveries == {"uncertain": 1}
        run_alerts(sqlite_store.engine, config(), [channel], now=at(60 * 5))
        assert len(slow.calls("POST", "/hook")) == 1


def test_refused_delivery_is_retried_later_until_sent(sqlite_store: Store, hook: FakeServer) -> None:
    sqlite_store.sync_config(config())
    negative(sqlite_store)
    hook.fail_next("/hook", json_response({"error": "invalid_token"}, 500))
    channel = WebhookChannel(hook.url + "/hook")
    first = run_alerts(sqlite_store.engine, config(), [channel], now=at(10))
    assert first.deliveries == {"failed": 1} and "HTTP 500" in alert_rows(sqlite_store.engine)[0]["error"]
    assert run_alerts(sqlite_store.engine, config(), [channel], now=at(12)).deliveries == {}  # not due yet
    assert run_alerts(sqlite_store.engine, config(), [channel], now=at(16)).deliveries == {"sent": 1}
    assert [r.json()["text"] for r in hook.calls()][0] == [r.json()["text"] for r in hook.calls()][1]


def test_unreachable_channel_is_not_delivered(sqlite_store: Store) -> None:
    sqlite_store.sync_config(config())
    assert (
        decide(sqlite_store.engine, decision(), [WebhookChannel("http://127.0.0.1:9/hook")], T0) is not None
    )
    assert deliver_pending(
        sqlite_store.engine, [WebhookChannel("http://127.0.0.1:9/hook", timeout=1)], T0
    ) == {"failed": 1}


def test_deciding_the_same_key_twice_records_it_once(store: Store) -> None:
    channel = WebhookChannel("http://127.0.0.1:9/hook")
    assert decide(store.engine, decision(), [channel], T0) is not None
    assert decide(store.engine, decision(), [channel], T0 + timedelta(minutes=1)) is None
    assert len(alert_rows(store.engine)) == 1


def test_channel_filters_by_rule_and_brand(sqlite_store: Store, hook: FakeServer) -> None:
    sqlite_store.sync_config(config())
    digest_only = WebhookChannel(hook.url + "/hook", rules=("digest",))
    other_brand = WebhookChannel(hook.url + "/hook", brands=("Otra",))
    assert not digest_only.accepts("new_negative", "Tienda Luna") and digest_only.accepts(
        "digest", "Tienda Luna"
    )
    assert not other_brand.accepts("digest", "Tienda Luna") and other_brand.accepts("source_failing", None)
    decide(sqlite_store.engine, decision(), [digest_only], T0)
    assert alert_rows(sqlite_store.engine)[0]["channel"] is None  # decided, no channel wants it


# -- channels against local servers -------------------------------------------------------------------------


def test_telegram_bot_posts_to_the_chat_through_base_url() -> None:
    with FakeServer() as bot:
        bot.route("POST", rf"/bot{TOKEN}/sendMessage",
                  lambda r: json_response({"ok": True, "result": {"message_id": 7, "chat": {"id": -100}}}))  # fmt: skip
        TelegramChannel(TOKEN, "-100", base_url=bot.url).send(
            Message("digest", "Tienda Luna", "Resumen", "3 sin responder")
        )
        (call,) = bot.calls("POST")
        assert call.json() == {
            "chat_id": "-100",
            "text": "Resumen\n3 sin responder",
            "disable_web_page_preview": True,
        }


def test_telegram_error_is_not_delivered_and_never_shows_the_token() -> None:
    def refuse(request: Request) -> Response:
        return json_response(
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, 400
        )

    with FakeServer() as bot:
        bot.route("POST", r"/bot.*/sendMessage", refuse)
        with pytest.raises(NotDelivered, match="chat not found") as caught:
            TelegramChannel(TOKEN, 1, base_url=bot.url).send(Message("digest", None, "t", "b"))
        assert TOKEN not in str(caught.value)


def test_smtp_sends_an_email_with_login(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSmtpServer() as server:
        channel = SmtpChannel("127.0.0.1", server.port, "alertas@luna.es", ("duena@luna.es",), "alertas", "clave-secreta",
                              starttls=False)  # fmt: skip
        channel.send(
            Message("digest", "Tienda Luna", "Resumen diario de Tienda Luna", "3 sin responder · 1 negativo")
        )
        (received,) = server.messages
        email = received.email()
        assert received.recipients == ["duena@luna.es"] and server.logins == [("alertas", "clave-secreta")]
        assert email["Subject"] == "Resumen diario de Tienda Luna" and email["From"] == "alertas@luna.es"
        assert "3 sin responder · 1 negativo" in email.get_content()


def test_smtp_refusal_is_not_delivered_and_a_lost_answer_is_uncertain(sqlite_store: Store) -> None:
    sqlite_store.sync_config(config())
    with FakeSmtpServer() as server:
        channel = SmtpChannel("127.0.0.1", server.port, "a@luna.es", ("b@luna.es",), starttls=False)
        server.refuse_recipients = True
        decide(sqlite_store.engine, decision("w1"), [channel], T0)
        assert deliver_pending(sqlite_store.engine, [channel], T0) == {"failed": 1}
        server.refuse_recipients, server.drop_after_data = False, True
        decide(sqlite_store.engine, decision("w2"), [channel], T0)
        assert deliver_pending(sqlite_store.engine, [channel], T0 + timedelta(minutes=1)) == {"uncertain": 1}
        server.drop_after_data = False
        assert deliver_pending(sqlite_store.engine, [channel], T0 + timedelta(minutes=10)) == {"sent": 1}
        assert len(server.messages) == 2  # w2 once (uncertain, not re-sent) and w1 once (after its refusal)


def test_channels_are_built_from_config_with_secrets_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOOK_URL", "http://127.0.0.1:1/hook")
    monkeypatch.setenv("TG_TOKEN", TOKEN)
    configured = make_config(alerts={"channels": {
        "webhook": {"url": {"$env": "HOOK_URL"}},
        "smtp": {"host": "127.0.0.1", "port": 2525, "from": "a@b.es", "to": ["c@d.es"], "password": "x",
                 "username": "u", "starttls": False},
        "telegram": {"bot_token": {"$env": "TG_TOKEN"}, "chat_id": 5, "base_url": "http://127.0.0.1:2"},
    }})  # fmt: skip
    webhook, smtp, telegram = channels_from_config(configured)
    assert isinstance(webhook, WebhookChannel) and webhook.url == "http://127.0.0.1:1/hook"
    assert isinstance(smtp, SmtpChannel) and (smtp.port, smtp.username, smtp.starttls) == (2525, "u", False)
    assert (
        isinstance(telegram, TelegramChannel)
        and telegram.token == TOKEN
        and telegram.base_url == "http://127.0.0.1:2"
    )
