"""The SMS seam: a provider-shaped request, never sent by this project.

Chinese SMS gateways send only pre-approved templates with parameters (Aliyun's SendSms:
``PhoneNumbers``, ``SignName``, ``TemplateCode``, ``TemplateParam``), so a notification becomes a
template code plus short parameters — never free text, never a resident's data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Protocol

MOBILE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class SmsRequest:
    """What a provider's send call takes."""

    phone_numbers: str
    sign_name: str
    template_code: str
    template_param: str


class SmsSender(Protocol):
    """A provider adapter; the platform ships none that really sends."""

    def send(self, request: SmsRequest) -> None: ...


@dataclass
class RecordingSmsSender:
    """Keeps what would have been sent (for tests and the demo)."""

    sent: list[SmsRequest] = field(default_factory=list)

    def send(self, request: SmsRequest) -> None:
        self.sent.append(request)


def sms_request(
    *, staff_mobile: str, sign_name: str, template_code: str, params: dict[str, str]
) -> SmsRequest:
    """Build a template request to a staff member's mobile; refuses anything not a mobile number."""
    if not MOBILE.match(staff_mobile):
        raise ValueError("not a mainland mobile number")
    return SmsRequest(
        phone_numbers=staff_mobile,
        sign_name=sign_name,
        template_code=template_code,
        template_param=json.dumps(params, ensure_ascii=False, separators=(",", ":")),
    )
