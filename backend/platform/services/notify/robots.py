"""Chinese group robots: WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书) message formats.

Each builds the request its vendor documents: WeCom's robot takes markdown at its webhook URL
(about 20 messages a minute per robot); DingTalk's custom robot with "加签" wants ``timestamp``
(ms) and ``sign`` = base64(HMAC-SHA256(secret, "timestamp\\nsecret")) in the query string;
Feishu's custom bot wants ``timestamp`` (s) and ``sign`` = base64(HMAC-SHA256 keyed by
"timestamp\\nsecret" over an empty message) in the JSON body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

WECOM_PER_MINUTE = 20


@dataclass(frozen=True)
class RobotRequest:
    """One HTTP POST to a robot: where and what."""

    url: str
    json: dict[str, Any]


def wecom_request(url: str, *, text: str) -> RobotRequest:
    """A WeCom group robot markdown message."""
    return RobotRequest(url=url, json={"msgtype": "markdown", "markdown": {"content": text}})


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature, already URL-encoded as its query string expects."""
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return quote_plus(base64.b64encode(mac.digest()).decode())


def dingtalk_request(url: str, *, secret: str | None, title: str, text: str, now_ms: int) -> RobotRequest:
    """A DingTalk custom robot markdown message, signed when the robot has a secret."""
    if secret:
        joiner = "&" if "?" in url else "?"
        url = f"{url}{joiner}timestamp={now_ms}&sign={dingtalk_sign(secret, now_ms)}"
    return RobotRequest(url=url, json={"msgtype": "markdown", "markdown": {"title": title, "text": text}})


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's signature: the key is "timestamp\\nsecret", the message empty."""
    mac = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def feishu_request(url: str, *, secret: str | None, text: str, now_s: int) -> RobotRequest:
    """A Feishu custom bot text message, signed when the bot has a secret."""
    body: dict[str, Any] = {"msg_type": "text", "content": {"text": text}}
    if secret:
        body = {"timestamp": str(now_s), "sign": feishu_sign(secret, now_s), **body}
    return RobotRequest(url=url, json=body)
