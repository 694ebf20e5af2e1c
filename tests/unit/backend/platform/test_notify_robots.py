"""Robot formats checked the way each vendor's server checks them (its documented algorithm)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

from backend.platform.services.notify.robots import dingtalk_request, feishu_request, wecom_request


def test_dingtalk_signed_url_passes_the_servers_check() -> None:
    request = dingtalk_request(
        "https://oapi.dingtalk.com/robot/send?access_token=t", secret="SECabc", title="告警", text="离线", now_ms=1_796_000_000_123
    )
    query = parse_qs(urlsplit(request.url).query)  # parse_qs undoes the URL encoding
    assert query["access_token"] == ["t"]
    timestamp = query["timestamp"][0]
    expected = hmac.new(b"SECabc", f"{timestamp}\nSECabc".encode(), hashlib.sha256).digest()
    assert base64.b64decode(query["sign"][0]) == expected
    assert request.json == {"msgtype": "markdown", "markdown": {"title": "告警", "text": "离线"}}


def test_dingtalk_without_secret_is_not_signed() -> None:
    request = dingtalk_request("https://x/robot/send?access_token=t", secret=None, title="a", text="b", now_ms=1)
    assert "sign=" not in request.url


def test_feishu_body_carries_a_signature_the_server_accepts() -> None:
    request = feishu_request("https://open.feishu.cn/open-apis/bot/v2/hook/x", secret="s3", text="离线", now_s=1_796_000_000)
    body = request.json
    key = f"{body['timestamp']}\ns3".encode()
    assert base64.b64decode(body["sign"]) == hmac.new(key, b"", hashlib.sha256).digest()
    assert body["msg_type"] == "text" and body["content"] == {"text": "离线"}


def test_wecom_markdown() -> None:
    request = wecom_request("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", text="**离线**")
    assert request.json == {"msgtype": "markdown", "markdown": {"content": "**离线**"}}
