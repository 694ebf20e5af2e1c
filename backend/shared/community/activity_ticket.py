"""The QR on an activity slip: a signed token in the certificate token's design (prefix "HD1:"
for 活动), signed by the station where the resident signed up, carrying the sign-up and the
activity. Any station (and the staff phone page) checks the signature offline against the trust
list; a cancelled sign-up is refused by state, the way a revoked certificate is refused by the
revocation list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.shared.errors import AppError
from backend.shared.tokens import KeySet, Signer, TokenError, decode_token, encode_token

from .errors import BAD_TICKET

TICKET_PREFIX = "HD1:"
CLAIM_SIGNUP = -70201  # private CWT claims
CLAIM_ACTIVITY = -70202


@dataclass(frozen=True)
class ActivityTicket:
    signup_id: str
    activity_id: str
    kid: str


def encode_ticket(
    *, signup_id: str, activity_id: str, signer: Signer, issued_at: datetime, expires_at: datetime
) -> str:
    """Return the ticket token of a sign-up (valid until the activity's end)."""
    return encode_token(
        {CLAIM_SIGNUP: signup_id, CLAIM_ACTIVITY: activity_id},
        signer=signer,
        prefix=TICKET_PREFIX,
        issued_at=issued_at,
        expires_at=expires_at,
    )


def read_ticket(text: str, *, keys: KeySet, now: datetime) -> ActivityTicket:
    """Return what a genuine ticket token says; raise activity.bad_ticket otherwise."""
    try:
        token = decode_token(text.strip(), keys=keys, prefixes=[TICKET_PREFIX], now=now)
    except TokenError as err:
        raise AppError(BAD_TICKET, detail=err.code) from err
    signup, activity = token.claims.get(CLAIM_SIGNUP), token.claims.get(CLAIM_ACTIVITY)
    if not (isinstance(signup, str) and signup and isinstance(activity, str) and activity):
        raise AppError(BAD_TICKET, detail="claims")
    return ActivityTicket(signup, activity, token.kid.hex())
