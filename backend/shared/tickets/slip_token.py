"""The QR on a request slip: a compact signed token (the certificate token's design, prefix
"GD1:" for 工单) that carries only the ticket number, so any station of the district can show the
ticket's progress offline after checking the signature against its trust list."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.shared.errors import AppError
from backend.shared.tokens import KeySet, Signer, TokenError, decode_token, encode_token

from .errors import BAD_SLIP

SLIP_PREFIX = "GD1:"
CLAIM_TICKET = -70101  # private CWT claim: the ticket number
SLIP_VALIDITY = timedelta(days=3 * 365)


def encode_slip(ticket_no: str, *, signer: Signer, issued_at: datetime) -> str:
    """Return the slip token for a ticket number."""
    return encode_token({CLAIM_TICKET: ticket_no}, signer=signer, prefix=SLIP_PREFIX,
                        issued_at=issued_at, expires_at=issued_at + SLIP_VALIDITY)


def read_slip(text: str, *, keys: KeySet, now: datetime) -> str:
    """Return the ticket number of a genuine slip token; raise ticket.bad_slip otherwise."""
    try:
        token = decode_token(text.strip(), keys=keys, prefixes=[SLIP_PREFIX], now=now)
    except TokenError as err:
        raise AppError(BAD_SLIP, detail=err.code) from err
    number = token.claims.get(CLAIM_TICKET)
    if not isinstance(number, str) or not number:
        raise AppError(BAD_SLIP, detail="no ticket number")
    return number
