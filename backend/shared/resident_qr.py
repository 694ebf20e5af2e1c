"""The resident QR code ("居民码") the platform issues for a phone: who, for which community, for
about a minute. Same COSE/CWT format as certificates, prefix ``SF1:``; minimal claims: a keyed
hash of the ID number (never the number), the masked number and the name to show, the community,
and a random token id so each code works once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from .tokens import Signer, encode_token

IDENTITY_PREFIX = "SF1:"  # 身份 (identity), version 1
CLAIM_ISS = 1
CLAIM_CTI = 7
CLAIM_RESIDENT = -70003
DEFAULT_TTL = timedelta(seconds=60)


def mint_resident_qr(signer: Signer, *, issuer: str, id_hash: str, name: str, id_masked: str,
                     community_code: str, now: datetime, ttl: timedelta = DEFAULT_TTL) -> str:
    """Return a one-time resident QR token, valid for ``ttl``."""
    claims = {CLAIM_ISS: issuer, CLAIM_CTI: secrets.token_bytes(12),
              CLAIM_RESIDENT: {"h": id_hash, "n": name, "m": id_masked, "c": community_code}}
    return encode_token(claims, signer=signer, prefix=IDENTITY_PREFIX, issued_at=now,
                        expires_at=now + ttl)
