"""The link behind the kiosk's second QR: the resident's phone downloads the A4 copy from the platform.

The station makes the link offline and signs it with its request-signing key (the Ed25519 key
the platform registered at enrolment, never a certificate key):

    <platform>/c/<certificate id>?exp=<unix seconds>&sig=<base64url Ed25519 signature>

The signature covers ``kiosk-phone-link/1|<certificate id>|<exp>`` (the prefix keeps it from
ever meaning anything else signed with that key). The platform looks the certificate up, checks
the signature with the issuing station's key and refuses an expired link, or one made to live
longer than ``MAX_TTL``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import quote

from .tokens import PublicKey, Signer, get_scheme
from .tokens.b64url import b64url_decode, b64url_encode
from .tokens.errors import TokenError

TTL = timedelta(minutes=10)
MAX_TTL = timedelta(minutes=15)  # refuse links made to outlive a visit, whoever signed them
CONTEXT = "kiosk-phone-link/1"
PATH = "/c/"
_CERTIFICATE_ID = re.compile(r"^[0-9a-fA-F-]{8,36}$")


class LinkProblem(StrEnum):
    MALFORMED = "malformed"
    EXPIRED = "expired"
    TOO_LONG = "too_long"
    BAD_SIGNATURE = "bad_signature"


class PhoneLinkError(ValueError):
    """A link the platform must refuse; ``problem`` says why."""

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class PhoneLink:
    url: str
    expires_at: datetime


def signed_message(certificate_id: str, exp: int) -> bytes:
    """The bytes a link's signature covers."""
    return f"{CONTEXT}|{certificate_id}|{exp}".encode("ascii")


def make_link(signer: Signer, *, base_url: str, certificate_id: str, now: datetime,
              ttl: timedelta = TTL) -> PhoneLink:
    """Return a signed download link for one certificate, valid for ``ttl`` from ``now``."""
    exp = int((now + ttl).timestamp())
    sig = b64url_encode(signer.sign(signed_message(certificate_id, exp)))
    url = f"{base_url.rstrip('/')}{PATH}{quote(certificate_id)}?exp={exp}&sig={sig}"
    return PhoneLink(url=url, expires_at=datetime.fromtimestamp(exp, UTC))


def check_link(key: PublicKey | None, *, certificate_id: str, exp: str, sig: str, now: datetime) -> None:
    """Raise PhoneLinkError unless the link is well formed, signed by ``key`` and current."""
    if not _CERTIFICATE_ID.match(certificate_id) or not exp.isdigit() or len(exp) > 12:
        raise PhoneLinkError(LinkProblem.MALFORMED)
    try:
        signature = b64url_decode(sig)
    except ValueError as err:
        raise PhoneLinkError(LinkProblem.MALFORMED) from err
    if key is None or not _verifies(key, signed_message(certificate_id, int(exp)), signature):
        raise PhoneLinkError(LinkProblem.BAD_SIGNATURE)
    expires_at = datetime.fromtimestamp(int(exp), UTC)
    if expires_at <= now:
        raise PhoneLinkError(LinkProblem.EXPIRED)
    if expires_at - now > MAX_TTL:
        raise PhoneLinkError(LinkProblem.TOO_LONG)


def _verifies(key: PublicKey, message: bytes, signature: bytes) -> bool:
    try:
        return get_scheme(key.alg).verify(key.spki, message, signature)
    except TokenError:
        return False
