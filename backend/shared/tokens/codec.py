"""Certificate tokens: CWT claims -> COSE_Sign1 -> zlib -> base45 -> "PREFIX:" (as EU DCC).

Decoding runs the same pipeline backwards and refuses early and cheaply: the text length
is capped before anything is decoded, and zlib output is capped while it is produced, so a
decompression bomb is refused without being allocated. The signature is checked before
the claims are parsed; the clock is checked last. Scanners' line terminators are the
device layer's business: the text must be exactly the token.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import cbor2

from . import base45, cose
from .errors import Reason, TokenError
from .signing import KeySet, Signer

MAX_TOKEN_CHARS = 4096  # a QR code holds at most 4296 alphanumeric characters
MAX_COSE_BYTES = 64 * 1024
DEFAULT_LEEWAY = timedelta(minutes=5)  # kiosk clocks drift; a fresh certificate must verify

# CWT claim keys (RFC 8392 §4)
ISS, EXP, NBF, IAT, CTI = 1, 4, 5, 6, 7
_PREFIX = re.compile(r"[A-Z][A-Z0-9]{0,5}:")
_TYPES = {ISS: str, EXP: int, NBF: int, IAT: int, CTI: bytes}


@dataclass(frozen=True)
class TokenContents:
    """A decoded token: its CWT claims (standard and private) and how it was signed."""

    claims: dict[Any, Any]
    kid: bytes | None
    alg: object
    prefix: str

    @property
    def issued_at(self) -> datetime:
        return datetime.fromtimestamp(self.claims[IAT], UTC)

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.claims[EXP], UTC)


@dataclass(frozen=True)
class VerifiedToken(TokenContents):
    """A token whose signature, key and validity period were checked."""

    kid: bytes
    alg: int


def encode_token(claims: Mapping[Any, Any], *, signer: Signer, prefix: str,
                 issued_at: datetime, expires_at: datetime) -> str:
    """Sign claims into QR-ready text; iat and exp come from the arguments, never the claims."""
    _check_prefix(prefix)
    payload = cbor2.dumps(_cwt_claims(claims, issued_at, expires_at), canonical=True)
    packed = zlib.compress(cose.encode(cose.sign1(payload, signer)), 9)
    text = prefix + base45.encode(packed)
    if len(text) > MAX_TOKEN_CHARS:
        raise ValueError(f"token of {len(text)} characters would be refused when read")
    return text


def decode_token(text: str, *, keys: KeySet, prefixes: Collection[str], now: datetime,
                 leeway: timedelta = DEFAULT_LEEWAY) -> VerifiedToken:
    """Verify a token and return its claims; raise TokenError with the reason otherwise."""
    _aware(now, "now")
    prefix, message = _unpack(text, prefixes)
    if not isinstance(message.alg, int):
        raise TokenError(Reason.UNSUPPORTED_ALG, f"alg {message.alg!r} in protected header")
    if message.kid is None:
        raise TokenError(Reason.UNKNOWN_KEY, "the token names no key")
    keys.verify(message.kid, message.alg, message.to_be_signed(), message.signature)
    claims = _parse_claims(message.payload)
    _check_times(claims, now, leeway)
    return VerifiedToken(claims, message.kid, message.alg, prefix)


def inspect_token(text: str, prefixes: Collection[str]) -> TokenContents:
    """Decode a token WITHOUT checking signature or dates (for technicians; never trust it)."""
    prefix, message = _unpack(text, prefixes)
    return TokenContents(_parse_claims(message.payload), message.kid, message.alg, prefix)


def _unpack(text: str, prefixes: Collection[str]) -> tuple[str, cose.Sign1]:
    if not isinstance(text, str):
        raise TokenError(Reason.MALFORMED, f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TOKEN_CHARS:
        raise TokenError(Reason.TOO_LARGE, f"{len(text)} characters")
    prefix = _match_prefix(text, prefixes)
    try:
        packed = base45.decode(text[len(prefix):])
    except base45.Base45Error as err:
        raise TokenError(Reason.NOT_BASE45, str(err)) from err
    return prefix, cose.decode(_inflate(packed))


def _match_prefix(text: str, prefixes: Collection[str]) -> str:
    for prefix in prefixes:
        _check_prefix(prefix)
        if text.startswith(prefix):
            return prefix
    raise TokenError(Reason.BAD_PREFIX, f"expected one of {sorted(prefixes)}")


def _check_prefix(prefix: str) -> None:
    # Short, upper case, in the QR alphanumeric set, ending in ':' like "HC1:".
    if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
        raise ValueError(f"token prefix {prefix!r} must look like 'HC1:'")


def _inflate(packed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, MAX_COSE_BYTES)
    except zlib.error as err:
        raise TokenError(Reason.MALFORMED, f"zlib: {err}") from err
    if inflater.unconsumed_tail:
        raise TokenError(Reason.TOO_LARGE, f"expands beyond {MAX_COSE_BYTES} bytes")
    if not inflater.eof:
        raise TokenError(Reason.MALFORMED, "zlib stream is truncated")
    if inflater.unused_data:
        raise TokenError(Reason.MALFORMED, f"{len(inflater.unused_data)} bytes after zlib")
    return raw


def _cwt_claims(claims: Mapping[Any, Any], issued_at: datetime,
                expires_at: datetime) -> dict[Any, Any]:
    if not isinstance(claims, Mapping) or EXP in claims or IAT in claims:
        raise ValueError("claims must be a mapping without exp (4) or iat (6)")
    iat, exp = _seconds(issued_at, "issued_at"), _seconds(expires_at, "expires_at")
    if exp <= iat:
        raise ValueError("expires_at must be after issued_at")
    result = {**claims, IAT: iat, EXP: exp}
    problem = _claim_type_problem(result)
    if problem:
        raise ValueError(problem)
    return result


def _parse_claims(payload: bytes) -> dict[Any, Any]:
    claims = cose.strict_loads(payload, "CWT claims")
    if not isinstance(claims, dict):
        raise TokenError(Reason.NOT_COSE, "CWT claims are not a map")
    problem = _claim_type_problem(claims)
    if EXP not in claims or IAT not in claims:
        problem = "CWT claims lack exp or iat"
    if problem:
        raise TokenError(Reason.MALFORMED, problem)
    return claims


def _claim_type_problem(claims: Mapping[Any, Any]) -> str | None:
    for key, kind in _TYPES.items():
        # type() rather than isinstance(): True is not a time and must not pass as one.
        if key in claims and type(claims[key]) is not kind:
            return f"CWT claim {key} must be {kind.__name__}"
    return None


def _check_times(claims: Mapping[Any, Any], now: datetime, leeway: timedelta) -> None:
    stamp = now.timestamp()
    if stamp >= claims[EXP]:
        raise TokenError(Reason.EXPIRED, f"expired at {claims[EXP]}")
    starts = max(claims[IAT], claims.get(NBF, claims[IAT]))
    if stamp + leeway.total_seconds() < starts:
        raise TokenError(Reason.NOT_YET_VALID, f"valid from {starts}")


def _seconds(moment: datetime, name: str) -> int:
    return math.floor(_aware(moment, name).timestamp())


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment
