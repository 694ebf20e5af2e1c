"""The e-mail channel over a real SMTP server on loopback (aiosmtpd) that insists on STARTTLS and a
login: the message arrives in zh and en, with its dedup id and no resident data."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from backend.platform.services.notify.messages import Notice
from backend.platform.services.notify.senders import DeliveryError, Senders, SmtpSettings
from support.stack import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _tls(folder: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"alerts", b"pw")
    return AuthResult(success=ok)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=_tls(tmp_path),
                            require_starttls=True, authenticator=_authenticate, auth_required=True)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Mailbox:
    kind, target, secret, language = "email", "duty@street.example", "", "zh"


NOTICE = Notice(dedup_id="firing:1:station_offline:460107002:1:7", kind="firing", title_zh="【紧急】服务站离线",
                title_en="[critical] station offline", lines=["桂林社区 guilin-01 · 11-26 16:00",
                                                          "detail 460107199001011232"],
                ack_url="http://platform/console/alerts/7/acknowledge")


def test_mail_goes_through_starttls_and_login(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    senders = Senders(smtp=SmtpSettings(host="127.0.0.1", port=port, username="alerts", password="pw",
                                        sender="kiosk@platform.example", verify_tls=False))
    senders.send(Mailbox(), NOTICE)
    [mail] = inbox.messages
    assert mail["Subject"] == "【紧急】服务站离线" and mail["X-Kiosk-Delivery"] == NOTICE.dedup_id
    body = mail.get_content()  # type: ignore[attr-defined]
    assert "station offline" in body and "/console/alerts/7/acknowledge" in body
    assert "460107199001011232" not in body


def test_mail_without_starttls_is_refused_and_retried(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    senders = Senders(smtp=SmtpSettings(host="127.0.0.1", port=port, username="alerts", password="pw",
                                        starttls=False))
    with pytest.raises(DeliveryError):
        senders.send(Mailbox(), NOTICE)
    assert inbox.messages == []
