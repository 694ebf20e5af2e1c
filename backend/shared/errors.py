"""The application error tree: a stable machine code, an HTTP status and a message in zh and en.

Codes are dotted and stable (``printer.media_empty``); clients switch on them, people read the
messages. Add a code here with both messages; never change the meaning of an existing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    zh: str
    en: str


ERRORS: dict[str, ErrorSpec] = {}


def define(code: str, status: int, zh: str, en: str) -> str:
    """Register an error code with its HTTP status and messages; return the code."""
    if code in ERRORS and ERRORS[code] != ErrorSpec(status, zh, en):
        raise ValueError(f"error code {code} defined twice with different meanings")
    ERRORS[code] = ErrorSpec(status, zh, en)
    return code


class AppError(Exception):
    """An error a resident, a staff member or a client program should understand."""

    def __init__(self, code: str, *, detail: str = "", **context: Any) -> None:
        if code not in ERRORS:
            raise KeyError(f"undefined error code {code}")
        self.code = code
        self.spec = ERRORS[code]
        self.detail = detail
        self.context = context
        super().__init__(f"{code}: {self.spec.en}" + (f" ({detail})" if detail else ""))

    @property
    def status(self) -> int:
        return self.spec.status

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": {"zh": self.spec.zh, "en": self.spec.en},
        }
        if self.detail:
            body["detail"] = self.detail
        if self.context:
            body["context"] = self.context
        return body


# Generic codes every API uses.
VALIDATION = define("request.invalid", 422, "提交的信息有误，请检查后重试。",
                    "Some of the information sent is not valid. Please check it and try again.")
NOT_FOUND = define("request.not_found", 404, "没有找到您要的内容。", "Nothing was found here.")
# Station and platform both answer with it (the kiosk and the console show the same words).
CERTIFICATE_NOT_FOUND = define("certificate.not_found", 404, "没有找到这份证明。",
                               "This certificate was not found.")
INTERNAL = define("internal.error", 500, "系统出了点问题，请稍后再试或拨打12345。",
                  "Something went wrong. Please try again later or call 12345.")
UNAUTHENTICATED = define("auth.required", 401, "请先登录。", "Please sign in first.")
FORBIDDEN = define("auth.forbidden", 403, "您没有权限进行此操作。",
                   "You are not allowed to do this.")
