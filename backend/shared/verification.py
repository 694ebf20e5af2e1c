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

from .certificate_claims import CERTIFICATE_PREFIX, CertificateClaims, read_claims
from .errors import ERRORS, AppError, define
from .tokens import KeySet, Reason, TokenError, decode_token, inspect_token

REVOKED = define("certificate.revoked", 422, "这张证明已被撤销，不再有效。",
                 "This certificate has been revoked and is no longer valid.")
# A trusted key signed it, but the key belongs to another station than the one the paper names:
# a kiosk's key misused to forge another station's certificates. Shown as "untrusted".
WRONG_ISSUER = define("certificate.wrong_issuer", 422,
                      "这张证明的签名密钥不属于它所写的签发服务站，不是真实证明。",
                      "This certificate was signed with a key that does not belong to the station "
                      "it names as issuer; it is not genuine.")
UNBOUND_KEY = define("certificate.key_unbound", 422,
                     "信任列表没有写明这个签名密钥属于哪个服务站，无法确认证明真伪。",
                     "The trust list does not say which station holds this signing key, so the "
                     "certificate cannot be confirmed.")


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
    refused = _binding_refusal(keys, token.kid, claims)
    if refused:
        return Verification(Verdict.UNTRUSTED, refused, kid=kid, unverified_claims=claims.public())
    if (claims.issuer, claims.serial) in revoked:
        return Verification(Verdict.REVOKED, REVOKED, claims.public(), kid)
    return Verification(Verdict.GENUINE, "ok", claims.public(), kid)


def _binding_refusal(keys: KeySet, kid: bytes, claims: CertificateClaims) -> str:
    """The code refusing a key that is not the claimed issuer's ("" when it is)."""
    binding = keys.binding(kid)
    if binding is None:
        return UNBOUND_KEY
    if not binding.allows(issuer=claims.issuer, community_code=claims.community_code,
                          serial=claims.serial):
        return WRONG_ISSUER
    return ""


def _claims_if_readable(text: str) -> dict[str, Any]:
    """Show what an invalid token claims, clearly as unverified, when it can be read at all."""
    try:
        return read_claims(inspect_token(text, [CERTIFICATE_PREFIX]).claims).public()
    except (TokenError, AppError):
        return {}
