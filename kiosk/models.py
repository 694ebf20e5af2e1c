"""What the station's API returns, parsed into small immutable records the flow and screens use.

Parsing is lenient about extra fields and strict about the ones the kiosk needs: a missing one
raises ``StationError(network.bad_response)`` rather than a KeyError deep inside a screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import BAD_RESPONSE, StationError


@dataclass(frozen=True)
class Text:
    """A text the station gives in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ("zh…" or "en…"), falling back to the other."""
        first, second = (self.en, self.zh) if lang.startswith("en") else (self.zh, self.en)
        return first or second

    @classmethod
    def of(cls, value: Any) -> Text:
        if isinstance(value, Mapping):
            return cls(str(value.get("zh", "")), str(value.get("en", "")))
        return cls(str(value or ""), str(value or ""))


@dataclass(frozen=True)
class Service:
    code: str
    state: str  # AVAILABLE | ACTIVE | UNAVAILABLE | SUSPENDED
    reason: str | None
    blocking: tuple[tuple[str, str], ...]
    note: str = ""  # the staff's words when they suspended the station

    @property
    def usable(self) -> bool:
        return self.state in ("AVAILABLE", "ACTIVE")


@dataclass(frozen=True)
class StationInfo:
    station_id: str
    name: Text
    community: Text
    simulated: Mapping[str, bool]
    session_idle_seconds: int
    services: tuple[Service, ...]
    card_present: bool = False  # an ID card lies on the reader (e.g. left there before a restart)
    timezone: str = ""  # the district's zone for the clock and dates ("" until the station says)

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)

    @classmethod
    def parse(cls, body: Any) -> StationInfo:
        """Parse GET /api/station."""
        data = _object(body)
        services = tuple(
            Service(str(s["code"]), str(s["state"]), s.get("reason"),
                    tuple((str(b["component"]), str(b["code"])) for b in s.get("blocking", ())),
                    str(s.get("note") or ""))
            for s in _required(data, "services"))
        return cls(str(_required(data, "station_id")), Text.of(data.get("name")),
                   Text.of(_object(data.get("community", {})).get("name")),
                   {str(k): bool(v) for k, v in _object(data.get("simulated", {})).items()},
                   int(data.get("session_idle_seconds", 90)), services,
                   bool(data.get("card_present", False)), str(data.get("timezone") or ""))


@dataclass(frozen=True)
class Identity:
    """The identified resident as the station shows it: masked and minimal."""

    name: str
    id_masked: str
    sex: str
    source: str

    @classmethod
    def parse(cls, body: Any) -> Identity:
        data = _object(body)
        return cls(str(_required(data, "name")), str(_required(data, "id_masked")),
                   str(data.get("sex", "")), str(data.get("source", "")))


@dataclass(frozen=True)
class Outcome:
    """A decision on one of the resident's applications they have not been told yet."""

    type_code: str
    state: str  # approved | rejected
    reason: str

    @property
    def approved(self) -> bool:
        return self.state == "approved"


@dataclass(frozen=True)
class SessionInfo:
    id: str
    service: str
    identity: Identity | None
    outcomes: tuple[Outcome, ...] = ()

    @classmethod
    def parse(cls, body: Any) -> SessionInfo:
        """Parse a session (POST /api/sessions, GET /api/sessions/{id}, session.identified)."""
        data = _object(body)
        identity = data.get("identity")
        outcomes = tuple(Outcome(str(o.get("type_code", "")), str(o.get("state", "")),
                                 str(o.get("reason") or ""))
                         for o in data.get("outcomes") or () if isinstance(o, Mapping))
        return cls(str(_required(data, "id")), str(data.get("service", "")),
                   Identity.parse(identity) if identity else None, outcomes)


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
        data = _object(body)
        return cls(str(_required(data, "name")), str(data.get("kind", "text")), Text.of(data))


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
        data = _object(body)
        alternative = data.get("alternative")
        return cls(
            code=str(_required(data, "code")), name=Text.of(_required(data, "name")),
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
        data = _object(body)
        return cls(str(_required(data, "id")), str(_required(data, "serial")),
                   str(data.get("type_code", "")), Text.of(data.get("type_name")),
                   str(_required(data, "state")), str(data.get("holder_name", "")),
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
        data = _object(body)
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
        data = _object(body)
        verdict = str(_required(data, "verdict"))
        if verdict not in VERDICTS:
            verdict = "malformed"
        if verdict == "genuine" and data.get("valid") is not True:
            raise StationError.local(BAD_RESPONSE, detail="genuine but not valid")
        claims = data.get("claims")
        verified = verdict in ("genuine", "revoked") and isinstance(claims, Mapping) and claims
        return cls(verdict, str(data.get("code", "")), Text.of(data.get("message")),
                   CertificateClaims.parse(claims) if verified else None)


def _object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise StationError.local(BAD_RESPONSE, detail=f"expected an object, got {type(value).__name__}")
    return value


def _required(data: Mapping[str, Any], key: str) -> Any:
    if key not in data or data[key] is None:
        raise StationError.local(BAD_RESPONSE, detail=f"missing field {key!r}")
    return data[key]
