"""What a certificate's QR token says: the CWT claims for a certificate, and reading them back.

Only what verification needs travels in the QR (so it stays small enough for a 58 mm receipt):
issuer station, type, serial, community, holder name, masked ID number, a keyed hash of the ID
number, the purpose, and the standard iat/exp. Never the full ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import localtime
from .errors import AppError, define

CERTIFICATE_PREFIX = "ZM1:"  # 证明 (certificate), version 1
CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_IAT = 6
CLAIM_CERTIFICATE = -70001  # private claim holding the certificate's fields

CLAIMS_INVALID = define("token.claims_invalid", 422, "二维码中的证明信息不完整。",
                        "The certificate data in this QR code is incomplete.")


@dataclass(frozen=True)
class CertificateClaims:
    issuer: str  # station id
    type_code: str
    serial: str
    community_code: str
    holder_name: str
    holder_id_masked: str
    holder_id_hash: bytes
    purpose: str
    issued_at: datetime
    expires_at: datetime

    def to_cwt(self) -> dict[int, Any]:
        """Return the claims map to sign (iat/exp are set by the codec)."""
        return {
            CLAIM_ISS: self.issuer,
            CLAIM_CERTIFICATE: {
                "t": self.type_code, "s": self.serial, "c": self.community_code,
                "n": self.holder_name, "m": self.holder_id_masked, "h": self.holder_id_hash,
                "p": self.purpose,
            },
        }

    def public(self) -> dict[str, Any]:
        """What a verifier may show to compare with the paper."""
        return {"issuer": self.issuer, "type_code": self.type_code, "serial": self.serial,
                "community_code": self.community_code, "holder_name": self.holder_name,
                "holder_id_masked": self.holder_id_masked, "purpose": self.purpose,
                "issued_at": localtime.iso_local(self.issued_at),
                "expires_at": localtime.iso_local(self.expires_at)}


def read_claims(claims: dict[Any, Any]) -> CertificateClaims:
    """Read certificate claims from a decoded CWT; raise token.claims_invalid if incomplete."""
    body = claims.get(CLAIM_CERTIFICATE)
    try:
        if not isinstance(body, dict):
            raise TypeError("no certificate claim")
        fields = {k: body[k] for k in ("t", "s", "c", "n", "m", "p")}
        if not all(isinstance(v, str) for v in fields.values()) or not isinstance(body["h"], bytes):
            raise TypeError("wrong claim types")
        return CertificateClaims(
            issuer=str(claims[CLAIM_ISS]), type_code=fields["t"], serial=fields["s"],
            community_code=fields["c"], holder_name=fields["n"], holder_id_masked=fields["m"],
            holder_id_hash=body["h"], purpose=fields["p"],
            issued_at=datetime.fromtimestamp(int(claims[CLAIM_IAT]), UTC),
            expires_at=datetime.fromtimestamp(int(claims[CLAIM_EXP]), UTC))
    except (KeyError, TypeError, ValueError) as err:
        raise AppError(CLAIMS_INVALID, detail=str(err)) from err
