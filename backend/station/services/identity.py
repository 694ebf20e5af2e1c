"""Identifying a resident without the ID card: a short-lived resident QR code on the phone.

A stand-in for the national network identity (CTID) QR code, behind the ``IdentityProvider``
seam so the real service can be plugged in. The platform issues the code: the same COSE/CWT
format as certificates, prefix ``SF1:``, signed with the platform's identity key (a key that
never signs certificates, and only it is trusted here), minimal claims, living about a minute.
Each code works once: its id is remembered until it expires.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.errors import AppError, define
from backend.shared.resident_qr import CLAIM_CTI, CLAIM_RESIDENT, IDENTITY_PREFIX
from backend.shared.tokens import KeySet, Reason, TokenError, decode_token

from ..db.models import UsedIdentityToken
from ..db.session import write_transaction
from .sessions import Identity

MAX_LIFETIME = timedelta(minutes=5)  # refuse codes made to live longer than a visit

EXPIRED = define("identity.expired", 422, "二维码已过期，请在手机上刷新后重新出示。",
                 "This code has expired. Refresh it on your phone and show it again.")
REUSED = define("identity.reused", 422, "这个二维码已经用过了，请在手机上刷新后重新出示。",
                "This code has already been used. Refresh it on your phone and show it again.")
FORGED = define("identity.forged", 422, "无法确认这个身份码，请使用身份证或到服务窗口办理。",
                "This identity code could not be confirmed. Please use your ID card or go to the desk.")
WRONG_COMMUNITY = define("identity.wrong_community", 422,
                         "这个身份码不属于本社区，请到您所在社区的服务站办理。",
                         "This code belongs to another community. Please use your own community's station.")
MALFORMED = define("identity.malformed", 422, "这不是身份码，请出示手机上的“居民码”。",
                   "This is not an identity code. Please show the resident code on your phone.")


class IdentityProvider(Protocol):
    def identify(self, token: str, *, now: datetime) -> Identity:
        """Return who a scanned code says the resident is; raise AppError(identity.*) if not."""
        ...


class ResidentQrProvider:
    """Verifies the platform's resident QR codes, once each."""

    def __init__(self, *, keys: KeySet, community_code: str, db: sessionmaker[Session]) -> None:
        self._keys = keys
        self._community = community_code
        self._db = db

    def identify(self, token: str, *, now: datetime) -> Identity:
        claims = self._verified_claims(token, now)
        try:
            body, cti = claims[CLAIM_RESIDENT], bytes(claims[CLAIM_CTI])
            identity = Identity(id_hash=str(body["h"]), id_masked=str(body["m"]), name=str(body["n"]),
                                source="qr")
            community, expires = str(body["c"]), datetime.fromtimestamp(int(claims[4]), UTC)
            issued = datetime.fromtimestamp(int(claims[6]), UTC)
        except (KeyError, TypeError, ValueError) as err:
            raise AppError(MALFORMED, detail="claims") from err
        if len(identity.id_hash) != 64 or expires - issued > MAX_LIFETIME:
            raise AppError(FORGED, detail="claims out of bounds")
        if community != self._community:
            raise AppError(WRONG_COMMUNITY)
        self._use_once(cti.hex(), expires, now)
        return identity

    def _verified_claims(self, token: str, now: datetime) -> dict[Any, Any]:
        try:
            return decode_token(token.strip(), keys=self._keys, prefixes=[IDENTITY_PREFIX], now=now,
                                leeway=timedelta(seconds=5)).claims
        except TokenError as err:
            if err.reason is Reason.EXPIRED:
                raise AppError(EXPIRED) from err
            if err.reason in (Reason.BAD_SIGNATURE, Reason.UNKNOWN_KEY, Reason.UNSUPPORTED_ALG):
                raise AppError(FORGED, detail=err.code) from err
            raise AppError(MALFORMED, detail=err.code) from err

    def _use_once(self, token_id: str, expires: datetime, now: datetime) -> None:
        try:
            with write_transaction(self._db) as session:
                session.execute(delete(UsedIdentityToken).where(UsedIdentityToken.expires_at < now))
                session.add(UsedIdentityToken(token_id=token_id, expires_at=expires))
        except IntegrityError as err:
            raise AppError(REUSED) from err
