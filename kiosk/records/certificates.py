"""Certificates: the catalog's types, an issued certificate, a verification's verdict, an application
staff approve, the phone copy's link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import BAD_RESPONSE, StationError
from .base import Text, as_object, required


@dataclass(frozen=True)
class Purpose:
    code: str
    name: Text


# What the kiosk can ask a resident for, and with which keyboard.


FIELD_KINDS = ("month", "text")


@dataclass(frozen=True)
class ResidentField:
    """Something the resident adds to a certificate (a month, a school's name)."""

    name: str
    kind: str  # month (the month keypad) | text (the pinyin keyboard)
    label: Text

    @classmethod
    def parse(cls, body: Any) -> ResidentField:
        data = as_object(body)
        return cls(str(required(data, "name")), str(data.get("kind", "text")), Text.of(data))


@dataclass(frozen=True)
class CertificateType:
    code: str
    name: Text
    forbidden: bool
    approval: bool
    legal_basis: Text
    alternative: Text | None
    purposes: tuple[Purpose, ...]
    procedure: tuple[Text, ...]
    resident_fields: tuple[ResidentField, ...]
    validity_days: int

    @property
    def kiosk_ready(self) -> bool:
        """True if this kiosk can take a resident through it: not forbidden, and every field it
        asks for has a keyboard here (a month keypad, the pinyin keyboard)."""
        return not self.forbidden and all(f.kind in FIELD_KINDS for f in self.resident_fields)

    def purpose(self, code: str) -> Purpose | None:
        return next((p for p in self.purposes if p.code == code), None)

    @classmethod
    def parse(cls, body: Any) -> CertificateType:
        """Parse one entry of GET /api/certificate-types."""
        data = as_object(body)
        alternative = data.get("alternative")
        return cls(
            code=str(required(data, "code")), name=Text.of(required(data, "name")),
            forbidden=bool(data.get("forbidden", False)), approval=bool(data.get("approval", False)),
            legal_basis=Text.of(data.get("legal_basis")),
            alternative=Text.of(alternative) if alternative else None,
            purposes=tuple(Purpose(str(p["code"]), Text.of(p)) for p in data.get("purposes", ())),
            procedure=tuple(Text.of(p) for p in data.get("procedure", ())),
            resident_fields=tuple(ResidentField.parse(f) for f in data.get("resident_fields") or ()),
            validity_days=int(data.get("validity_days", 0)))


@dataclass(frozen=True)
class Certificate:
    id: str
    serial: str
    type_code: str
    type_name: Text
    state: str  # issued | printed | print_failed | …
    holder_name: str
    holder_id_masked: str
    purpose: str
    expires_at: str
    text: Text

    @property
    def printed(self) -> bool:
        return self.state == "printed"

    @classmethod
    def parse(cls, body: Any) -> Certificate:
        """Parse a certificate (POST /api/certificates and …/print)."""
        data = as_object(body)
        return cls(str(required(data, "id")), str(required(data, "serial")),
                   str(data.get("type_code", "")), Text.of(data.get("type_name")),
                   str(required(data, "state")), str(data.get("holder_name", "")),
                   str(data.get("holder_id_masked", "")), str(data.get("purpose", "")),
                   str(data.get("expires_at", "")), Text.of(data.get("text")))


@dataclass(frozen=True)
class CertificateClaims:
    """What a verified certificate says about itself (only ever parsed from verified claims)."""

    issuer: str
    type_code: str
    serial: str
    holder_name: str
    holder_id_masked: str
    purpose: str
    issued_at: str
    expires_at: str

    @classmethod
    def parse(cls, body: Any) -> CertificateClaims:
        data = as_object(body)
        return cls(*(str(data.get(name) or "") for name in (
            "issuer", "type_code", "serial", "holder_name", "holder_id_masked", "purpose",
            "issued_at", "expires_at")))


VERDICTS = ("genuine", "tampered", "untrusted", "expired", "not_yet_valid", "revoked", "malformed")


@dataclass(frozen=True)
class VerificationResult:
    """POST /api/verify's answer. ``claims`` holds only what the signature vouches for; the
    token's unverified claims are deliberately not parsed, so no screen can show them."""

    verdict: str  # one of VERDICTS
    code: str
    message: Text
    claims: CertificateClaims | None

    @property
    def genuine(self) -> bool:
        return self.verdict == "genuine"

    @classmethod
    def parse(cls, body: Any) -> VerificationResult:
        """Parse POST /api/verify (an unknown verdict reads as malformed, never as genuine)."""
        data = as_object(body)
        verdict = str(required(data, "verdict"))
        if verdict not in VERDICTS:
            verdict = "malformed"
        if verdict == "genuine" and data.get("valid") is not True:
            raise StationError.local(BAD_RESPONSE, detail="genuine but not valid")
        claims = data.get("claims")
        verified = verdict in ("genuine", "revoked") and isinstance(claims, Mapping) and claims
        return cls(verdict, str(data.get("code", "")), Text.of(data.get("message")),
                   CertificateClaims.parse(claims) if verified else None)


@dataclass(frozen=True)
class Application:
    """An application for a certificate that a staff member must approve."""

    id: str
    type_code: str
    state: str  # applied | approved | rejected | …
    pickup_code: str
    reason: str

    @classmethod
    def parse(cls, body: Any) -> Application:
        data = as_object(body)
        return cls(str(required(data, "id")), str(data.get("type_code", "")), str(required(data, "state")),
                   str(data.get("pickup_code") or ""), str(data.get("reason") or ""))


@dataclass(frozen=True)
class PhoneLink:
    """The link to the certificate's A4 copy for a phone, or why there is none (yet)."""

    available: bool
    url: str
    reason: str  # not_enrolled | offline | syncing | …
    message: Text

    @classmethod
    def parse(cls, body: Any) -> PhoneLink:
        data = as_object(body)
        available = bool(data.get("available")) and bool(data.get("url"))
        return cls(available, str(data.get("url") or ""), str(data.get("reason") or ""),
                   Text.of(data.get("message") or {}))
