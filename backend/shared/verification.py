"""Verifying a certificate's QR offline: signature against the trust list, validity, revocation.

The verdict is what a person at the kiosk (or a technician with ``kiosk verify``) needs: a
status word, the stable code of the reason, and the minimal claims to compare with the paper.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .certificate_claims import CERTIFICATE_PREFIX, read_claims
from .errors import ERRORS, AppError, define
from .tokens import KeySet, Reason, TokenError, decode_token, inspect_token

REVOKED = define("certificate.revoked", 422, "这张证明已被撤销，不再有效。",
                 "This certificate has been revoked and is no longer valid.")


class Verdict(StrEnum):
    GENUINE = "genuine"
    TAMPERED = "tampered"  # the signature does not match: altered or forged
    UNTRUSTED = "untrusted"  # signed by a key no trusted station holds
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    MALFORMED = "malformed"  # not a readable certificate code at all


_VERDICT_OF_REASON = {
    Reason.BAD_SIGNATURE: Verdict.TAMPERED,
    Reason.UNKNOWN_KEY: Verdict.UNTRUSTED,
    Reason.UNSUPPORTED_ALG: Verdict.UNTRUSTED,
    Reason.EXPIRED: Verdict.EXPIRED,
    Reason.NOT_YET_VALID: Verdict.NOT_YET_VALID,
}


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    code: str  # "ok" or a stable error code (token.bad_signature, certificate.revoked, …)
    claims: dict[str, Any] = field(default_factory=dict)
    kid: str = ""
    # What a refused token says about itself: for technicians, never shown as fact.
    unverified_claims: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.GENUINE

    def as_dict(self) -> dict[str, Any]:
        spec = ERRORS.get(self.code)
        message = ({"zh": spec.zh, "en": spec.en} if spec else
                   {"zh": "证明真实有效。", "en": "The certificate is genuine and valid."})
        return {"valid": self.valid, "verdict": self.verdict.value, "code": self.code,
                "message": message, "claims": self.claims, "kid": self.kid,
                "unverified_claims": self.unverified_claims}


def verify_certificate(text: str, *, keys: KeySet, now: datetime,
                       revoked: Collection[tuple[str, str]] = ()) -> Verification:
    """Verify a scanned certificate token. ``revoked`` holds (issuer station, serial) pairs."""
    text = text.strip()
    try:
        token = decode_token(text, keys=keys, prefixes=[CERTIFICATE_PREFIX], now=now)
    except TokenError as err:
        return Verification(_VERDICT_OF_REASON.get(err.reason, Verdict.MALFORMED), err.code,
                            unverified_claims=_claims_if_readable(text))
    try:
        claims = read_claims(token.claims)
    except AppError as err:
        return Verification(Verdict.MALFORMED, err.code)
    kid = token.kid.hex()
    if (claims.issuer, claims.serial) in revoked:
        return Verification(Verdict.REVOKED, REVOKED, claims.public(), kid)
    return Verification(Verdict.GENUINE, "ok", claims.public(), kid)


def _claims_if_readable(text: str) -> dict[str, Any]:
    """Show what an invalid token claims, clearly as unverified, when it can be read at all."""
    try:
        return read_claims(inspect_token(text, [CERTIFICATE_PREFIX]).claims).public()
    except (TokenError, AppError):
        return {}
