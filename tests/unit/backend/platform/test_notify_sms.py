"""The SMS seam builds a provider-shaped template request."""

from __future__ import annotations

import json

import pytest

from backend.platform.services.notify.sms import RecordingSmsSender, sms_request


def test_template_request_reaches_the_sender() -> None:
    sender = RecordingSmsSender()
    sender.send(sms_request(staff_mobile="13800138000", sign_name="服务站", template_code="SMS_1", params={"station": "一号"}))
    (request,) = sender.sent
    assert request.template_code == "SMS_1"
    assert json.loads(request.template_param) == {"station": "一号"}


def test_refuses_a_target_that_is_not_a_mobile() -> None:
    with pytest.raises(ValueError):
        sms_request(staff_mobile="ops@example.org", sign_name="s", template_code="t", params={})
