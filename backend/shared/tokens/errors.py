"""Why a certificate token was refused: one stable code per reason, worded for a resident.

Every reason maps to ``token.<reason>``, all with HTTP status 422, including
``token.expired`` and ``token.not_yet_valid``: the request (verify this code) was understood
and the token is intact, it is just not valid now. 410 would say the *resource* is gone,
which is not what a verifier learns, and 413 would blame the HTTP body rather than the QR
code. Clients switch on the code, not the status.
"""

from __future__ import annotations

from enum import StrEnum

from backend.shared.errors import AppError, define


class Reason(StrEnum):
    MALFORMED = "malformed"
    BAD_PREFIX = "bad_prefix"
    NOT_BASE45 = "not_base45"
    TOO_LARGE = "too_large"
    NOT_COSE = "not_cose"
    UNSUPPORTED_ALG = "unsupported_alg"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


_RETRY_ZH = "请重新扫描；如仍不行，请到服务窗口核验或拨打12345。"
_RETRY_EN = "Please scan it again. If it still fails, ask at the service desk or call 12345."

_MESSAGES: dict[Reason, tuple[int, str, str]] = {
    Reason.MALFORMED: (
        422, "无法识别这个二维码。" + _RETRY_ZH, "This QR code could not be read. " + _RETRY_EN),
    Reason.BAD_PREFIX: (
        422, "这不是本服务出具的证明二维码。",
        "This QR code is not a certificate issued by this service."),
    Reason.NOT_BASE45: (
        422, "二维码内容不完整或已损坏。" + _RETRY_ZH,
        "The QR code is incomplete or damaged. " + _RETRY_EN),
    Reason.TOO_LARGE: (
        422, "二维码内容过长，不是本服务出具的证明。",
        "This QR code holds too much data to be a certificate from this service."),
    Reason.NOT_COSE: (
        422, "二维码内容已损坏，无法读取证明。" + _RETRY_ZH,
        "The certificate in this QR code is damaged. " + _RETRY_EN),
    Reason.UNSUPPORTED_ALG: (
        422, "这张证明使用的签名方式本机不支持，请到服务窗口核验。",
        "This certificate uses a signature this machine cannot check. "
        "Please ask at the service desk."),
    Reason.UNKNOWN_KEY: (
        422, "无法确认这张证明的签发机构，请到服务窗口核验或拨打12345。",
        "The issuer of this certificate could not be confirmed. "
        "Please ask at the service desk or call 12345."),
    Reason.BAD_SIGNATURE: (
        422, "这张证明未通过真伪验证，内容可能被改动过。请到服务窗口核验或拨打12345。",
        "This certificate failed the authenticity check; it may have been altered. "
        "Please ask at the service desk or call 12345."),
    Reason.EXPIRED: (
        422, "这张证明已过有效期，请重新开具。",
        "This certificate has expired. Please request a new one."),
    Reason.NOT_YET_VALID: (
        422, "这张证明尚未生效，请稍后再试或到服务窗口核验。",
        "This certificate is not valid yet. Please try later or ask at the service desk."),
}

CODES: dict[Reason, str] = {
    reason: define(f"token.{reason.value}", status, zh, en)
    for reason, (status, zh, en) in _MESSAGES.items()
}


class TokenError(AppError):
    """A token was refused; ``reason`` says why, ``detail`` says where (for technicians)."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(CODES[reason], detail=detail)
        self.reason = reason
