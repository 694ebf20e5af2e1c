"""Sending one notice through one channel, each kind in its vendor's real format.

The seam between the worker and the outside world: ``Senders.send`` takes a channel and a notice
and either returns or raises ``DeliveryError``. Robots and the webhook go out over httpx, e-mail
over smtplib with STARTTLS, SMS through the ``SmsSender`` seam (a recording one by default).

apprise was considered and not used: its WeCom, DingTalk and Feishu plugins build the vendor's
public host name into the URL (so a private deployment or a test receiver on loopback cannot be
reached), its Feishu plugin does not sign, and its JSON notifier cannot carry the documented
webhook body and HMAC headers; the formats are small and written once here.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

import httpx

from .messages import Notice
from .robots import dingtalk_request, feishu_request, wecom_request
from .sms import RecordingSmsSender, SmsSender, sms_request
from .webhook import signed_headers, webhook_body

KINDS = ("webhook", "wecom", "dingtalk", "feishu", "email", "sms")
DELIVERY_HEADER = "X-Kiosk-Delivery"  # the stable dedup id: a receiver drops a repeat by it


class DeliveryError(Exception):
    """The channel did not take the message (the worker retries with backoff)."""


class ChannelLike(Protocol):
    kind: str
    target: str
    secret: str
    language: str


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    username: str = ""
    password: str = ""
    sender: str = "kiosk@localhost"
    starttls: bool = True
    verify_tls: bool = True  # tests with a self-signed receiver turn it off


@dataclass
class Senders:
    """Everything that leaves the platform for a channel."""

    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    sms: SmsSender = field(default_factory=RecordingSmsSender)
    sms_sign_name: str = "一窗受理"
    sms_template: str = "SMS_KIOSK_ALERT"
    timeout: float = 10.0

    def send(self, channel: ChannelLike, notice: Notice, *, now: float | None = None) -> None:
        """Deliver one notice; raise DeliveryError when the channel refuses or cannot be reached."""
        moment = now if now is not None else time.time()
        try:
            if channel.kind == "email":
                self._email(channel, notice)
            elif channel.kind == "sms":
                self._sms(channel, notice)
            else:
                self._http(channel, notice, moment)
        except DeliveryError:
            raise
        except (httpx.HTTPError, smtplib.SMTPException, OSError, ValueError) as err:
            raise DeliveryError(f"{type(err).__name__}: {err}"[:240]) from err

    def _http(self, channel: ChannelLike, notice: Notice, now: float) -> None:
        url, content, headers = http_request(channel, notice, now)
        with httpx.Client(timeout=self.timeout) as client:
            response = client.post(url, content=content, headers=headers)
        if response.status_code >= 300:
            raise DeliveryError(f"HTTP {response.status_code}")
        _check_robot_answer(channel.kind, response)

    def _email(self, channel: ChannelLike, notice: Notice) -> None:
        if not self.smtp.host:
            raise DeliveryError("no SMTP server configured (KIOSK_PLATFORM_NOTIFY_SMTP_HOST)")
        message = email_message(notice, sender=self.smtp.sender, to=channel.target,
                                language=channel.language)
        with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.timeout) as smtp:
            if self.smtp.starttls:
                context = ssl.create_default_context()
                if not self.smtp.verify_tls:
                    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
                smtp.starttls(context=context)
            if self.smtp.username:
                smtp.login(self.smtp.username, self.smtp.password)
            smtp.send_message(message)

    def _sms(self, channel: ChannelLike, notice: Notice) -> None:
        params = {"title": notice.title_zh[:20], "id": notice.dedup_id[-20:]}
        self.sms.send(sms_request(staff_mobile=channel.target, sign_name=self.sms_sign_name,
                                  template_code=self.sms_template, params=params))


def http_request(channel: ChannelLike, notice: Notice, now: float) -> tuple[str, bytes, dict[str, str]]:
    """The URL, body and headers of one POST to a webhook or robot."""
    if channel.kind == "webhook":
        body = webhook_document(notice)
        headers = signed_headers(channel.secret or None, int(now), body)
        return channel.target, body, {**headers, DELIVERY_HEADER: notice.dedup_id}
    if channel.kind == "wecom":
        request = wecom_request(channel.target, text=notice.markdown())
    elif channel.kind == "dingtalk":
        request = dingtalk_request(channel.target, secret=channel.secret or None,
                                   title=notice.title_zh, text=notice.markdown(), now_ms=int(now * 1000))
    elif channel.kind == "feishu":
        request = feishu_request(channel.target, secret=channel.secret or None,
                                 text=notice.text(channel.language), now_s=int(now))
    else:
        raise DeliveryError(f"unknown channel kind {channel.kind}")
    content = json.dumps(request.json, ensure_ascii=False).encode()
    return request.url, content, {"Content-Type": "application/json; charset=utf-8"}


def webhook_document(notice: Notice) -> bytes:
    """The documented webhook JSON, with the dedup id and the grouped alerts beside it."""
    if notice.alert is None:  # a test or a ticket warning: the same shape, no station
        document: dict[str, Any] = {"id": notice.dedup_id, "kind": notice.kind, "severity": notice.severity,
                                    "state": "firing", "station": None, "area_path": [],
                                    "summary": {"zh": notice.title_zh, "en": notice.title_en},
                                    "started_at": None, "resolved_at": None, "console_url": notice.ack_url}
    else:
        document = json.loads(webhook_body(notice.alert))
    document["dedup_id"] = notice.dedup_id
    document["notification"] = notice.kind
    document["alerts"] = notice.grouped
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def email_message(notice: Notice, *, sender: str, to: str, language: str) -> EmailMessage:
    """A plain-text e-mail in both languages (the channel's language first)."""
    message = EmailMessage()
    title = notice.title_zh if language == "zh" else notice.title_en
    message["Subject"] = title
    message["From"], message["To"] = sender, to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=notice.dedup_id.replace(":", "."))
    message["X-Kiosk-Delivery"] = notice.dedup_id
    message.set_content(notice.text(language), charset="utf-8")
    return message


def _check_robot_answer(kind: str, response: httpx.Response) -> None:
    """Robots answer HTTP 200 with an error code in the body (e.g. a bad signature)."""
    if kind not in ("wecom", "dingtalk", "feishu"):
        return
    try:
        answer = response.json()
    except ValueError:
        return
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, None):
        raise DeliveryError(f"{kind} refused: {code} {answer.get('errmsg') or answer.get('msg') or ''}"[:240])
