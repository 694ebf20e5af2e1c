"""COSE_Sign1 (RFC 9052 §4.2) built with cbor2 and a Signer; no COSE library needed.

    COSE_Sign1 = #6.18([protected: bstr .cbor header_map, unprotected: header_map,
                        payload: bstr, signature: bstr])

We always write tag 18. We read both the tagged and the untagged form, as EU DCC verifiers
do (RFC 9052 lets the application decide; some issuers omit the tag), but refuse any other
tag. The algorithm must be in the protected header; the kid may be in either bucket (EU DCC
allows the unprotected one), never in both. Header parameters listed as critical (label 2)
are refused, since we understand none beyond alg and kid.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import cbor2

from .errors import Reason, TokenError
from .signing import Signer

TAG_SIGN1 = 18
HDR_ALG = 1
HDR_CRIT = 2
HDR_KID = 4
MAX_DEPTH = 32  # far deeper than any certificate; stops a stack of nested arrays early

HeaderMap = Mapping[Any, Any]  # labels are int or text (checked when decoding)


@dataclass(frozen=True)
class Sign1:
    """A COSE_Sign1 message; ``protected`` is kept as the exact bytes that were signed."""

    protected: bytes
    unprotected: HeaderMap
    payload: bytes
    signature: bytes
    headers: HeaderMap = field(default_factory=dict)  # ``protected``, decoded

    @property
    def alg(self) -> object:
        return self.headers.get(HDR_ALG)

    @property
    def kid(self) -> bytes | None:
        kid = self.headers.get(HDR_KID, self.unprotected.get(HDR_KID))
        return kid if isinstance(kid, bytes) else None

    def to_be_signed(self) -> bytes:
        """Return the Sig_structure this message's signature covers."""
        return sig_structure(self.protected, self.payload)


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """Return the CBOR Sig_structure ["Signature1", protected, external_aad, payload]."""
    return cbor2.dumps(["Signature1", protected, external_aad, payload])


def sign1(payload: bytes, signer: Signer, *, protected: HeaderMap | None = None,
          unprotected: HeaderMap | None = None) -> Sign1:
    """Sign payload; the protected header defaults to {1: alg, 4: kid}."""
    headers: dict[int | str, Any] = (
        dict(protected) if protected is not None else {HDR_ALG: signer.alg, HDR_KID: signer.kid}
    )
    encoded = cbor2.dumps(headers) if headers else b""
    signature = signer.sign(sig_structure(encoded, payload))
    return Sign1(encoded, dict(unprotected or {}), payload, signature, headers)


def encode(message: Sign1, *, tagged: bool = True) -> bytes:
    """Serialize a message, with tag 18 unless told otherwise."""
    body = [message.protected, dict(message.unprotected), message.payload, message.signature]
    return cbor2.dumps(cbor2.CBORTag(TAG_SIGN1, body) if tagged else body)


def decode(data: bytes) -> Sign1:
    """Parse a COSE_Sign1; raise TokenError(not_cose) on anything structurally wrong."""
    item = strict_loads(data, "COSE_Sign1")
    if isinstance(item, cbor2.CBORTag):
        if item.tag != TAG_SIGN1:
            raise TokenError(Reason.NOT_COSE, f"CBOR tag {item.tag}, expected {TAG_SIGN1}")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise TokenError(Reason.NOT_COSE, "COSE_Sign1 is not an array of four")
    protected, unprotected, payload, signature = item
    _require(isinstance(protected, bytes), "protected header is not a byte string")
    _require(isinstance(unprotected, Mapping), "unprotected header is not a map")
    _require(isinstance(payload, bytes), "payload is not a byte string (detached?)")
    _require(isinstance(signature, bytes), "signature is not a byte string")
    headers = _protected_headers(protected)
    _check_headers(headers, unprotected)
    return Sign1(protected, dict(unprotected), payload, signature, headers)


def strict_loads(data: bytes, what: str) -> Any:
    """Decode exactly one CBOR item: no trailing bytes, duplicate keys or deep nesting."""
    stream = io.BytesIO(data)
    decoder = cbor2.CBORDecoder(stream, max_depth=MAX_DEPTH, allow_duplicate_keys=False,
                                allow_indefinite=False)
    try:
        item = decoder.decode()
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError) as err:
        raise TokenError(Reason.NOT_COSE, f"{what}: bad CBOR ({err})") from err
    if stream.tell() != len(data):
        raise TokenError(Reason.NOT_COSE, f"{what}: {len(data) - stream.tell()} trailing bytes")
    return item


def _protected_headers(protected: bytes) -> dict[int | str, Any]:
    if not protected:
        return {}  # a zero-length bstr is the empty map (RFC 9052 §3)
    headers = strict_loads(protected, "protected header")
    _require(isinstance(headers, Mapping), "protected header is not a map")
    return dict(headers)


def _check_headers(protected: HeaderMap, unprotected: HeaderMap) -> None:
    for bucket in (protected, unprotected):
        _require(all(isinstance(label, int | str) for label in bucket), "bad header label")
    _require(not set(protected) & set(unprotected), "a header is in both buckets")
    _require(HDR_CRIT not in protected, "critical headers are not supported")
    _require(isinstance(protected.get(HDR_ALG, 0), int | str), "alg is not int or text")
    kid = protected.get(HDR_KID, unprotected.get(HDR_KID, b""))
    _require(isinstance(kid, bytes), "kid is not a byte string")


def _require(condition: bool, detail: str) -> None:
    if not condition:
        raise TokenError(Reason.NOT_COSE, detail)
