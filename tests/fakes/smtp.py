"""A tiny SMTP server on 127.0.0.1 that records what it receives (enough of RFC 5321 for smtplib).

Faults: ``refuse_recipients`` answers 550 to RCPT; ``drop_after_data`` stores the message and then closes the
connection without answering (the message arrived, the client cannot know).
"""

from __future__ import annotations

import base64
import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    """One message as the server got it."""

    sender: str
    recipients: list[str]
    data: bytes

    def email(self) -> EmailMessage:
        """The message parsed."""
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class _Session:
    sender: str = ""
    recipients: list[str] = field(default_factory=list)


class FakeSmtpServer:
    """Use as a context manager; ``port`` is free and on loopback."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.logins: list[tuple[str, str]] = []
        self.refuse_recipients = False
        self.drop_after_data = False
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._server.server_address[1])

    def __enter__(self) -> FakeSmtpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[socketserver.StreamRequestHandler]:
        server = self

        class _Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 fake ESMTP ready")
                session = _Session()
                while line := self.rfile.readline():
                    if not server._command(self, line.decode().rstrip("\r\n"), session):
                        return

        return _Handler

    def _command(self, client: socketserver.StreamRequestHandler, line: str, session: _Session) -> bool:
        verb, _, rest = line.partition(" ")
        reply = client.reply  # type: ignore[attr-defined]
        verb = verb.upper()
        if verb == "EHLO":
            client.wfile.write(b"250-fake\r\n250-AUTH PLAIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb == "AUTH":
            _, _, user, password = ("\0" + base64.b64decode(rest.split()[1]).decode()).split("\0")
            self.logins.append((user, password))
            reply("235 2.7.0 authenticated")
        elif verb == "MAIL":
            session.sender, session.recipients = rest.split(":", 1)[1].split()[0].strip("<>"), []
            reply("250 ok")
        elif verb == "RCPT":
            if self.refuse_recipients:
                reply("550 5.1.1 no such mailbox")
            else:
                session.recipients.append(rest.split(":", 1)[1].strip().strip("<>"))
                reply("250 ok")
        elif verb == "DATA":
            return self._data(client, session)
        elif verb == "QUIT":
            reply("221 bye")
            return False
        else:
            reply("250 ok")
        return True

    def _data(self, client: socketserver.StreamRequestHandler, session: _Session) -> bool:
        client.reply("354 end with .")  # type: ignore[attr-defined]
        lines = []
        while (line := client.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        self.messages.append(Received(session.sender, list(session.recipients), b"".join(lines)))
        if self.drop_after_data:
            return False
        client.reply("250 queued")  # type: ignore[attr-defined]
        return True
