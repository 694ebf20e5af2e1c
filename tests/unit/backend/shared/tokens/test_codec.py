"""Certificate tokens end to end: round trip, compactness, and one reason code per defect."""

from __future__ import annotations

import hashlib
import tracemalloc
import zlib
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import cbor2
import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.shared.tokens import (
    MAX_TOKEN_CHARS,
    Ed25519Signer,
    KeySet,
    Reason,
    TokenError,
    VerifiedToken,
    base45,
    cose,
    decode_token,
    encode_token,
    inspect_token,
)

PREFIX = "HC1:"
VALIDITY = timedelta(days=90)
# What the application puts in a residence certificate: ~250 bytes of CBOR claims.
CERTIFICATE = {
    1: "HK-MLQ-0042",
    7: bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
    -70001: {
        "t": "residence",
        "sn": "HZ-2026-000123",
        "n": "张三丰",
        "id": "4601**********1234",
        "ih": hashlib.sha256(b"keyed hash of the ID number").digest(),
        "gb": "12330100MB1234567X-ZM-2026-000123",
        "a": "海南省海口市美兰区海府路街道和平社区",
        "p": "办理居住证",
        "k": "KS-0042",
    },
}


def make_token(signer: Ed25519Signer, now: datetime, claims: Any = CERTIFICATE) -> str:
    return encode_token(claims, signer=signer, prefix=PREFIX, issued_at=now,
                        expires_at=now + VALIDITY)


def verify(token: str, keys: KeySet, now: datetime) -> VerifiedToken:
    return decode_token(token, keys=keys, prefixes=[PREFIX], now=now)


def reason(token: Any, keys: KeySet, now: datetime) -> Reason:
    with pytest.raises(TokenError) as caught:
        verify(token, keys, now)
    assert caught.value.code == f"token.{caught.value.reason}"
    return caught.value.reason


def unpack(token: str) -> bytes:
    return zlib.decompress(base45.decode(token[len(PREFIX):]))


def pack(raw: bytes) -> str:
    return PREFIX + base45.encode(zlib.compress(raw, 9))


def resign(signer: Ed25519Signer, payload: bytes, **headers: Any) -> str:
    return pack(cose.encode(cose.sign1(payload, signer, **headers)))


# --- the happy path -------------------------------------------------------------------------

def test_round_trip_gives_back_the_claims(signer: Ed25519Signer, keys: KeySet,
                                          now: datetime) -> None:
    token = verify(make_token(signer, now), keys, now)
    exp, iat = int((now + VALIDITY).timestamp()), int(now.timestamp())
    assert token.claims == {**CERTIFICATE, 4: exp, 6: iat}
    assert (token.kid, token.alg, token.prefix) == (signer.kid, -8, PREFIX)
    assert (token.issued_at, token.expires_at) == (now, now + VALIDITY)


def test_times_are_whole_seconds(signer: Ed25519Signer, keys: KeySet, now: datetime) -> None:
    issued = now + timedelta(microseconds=999_999)
    token = encode_token({}, signer=signer, prefix=PREFIX, issued_at=issued,
                         expires_at=issued + VALIDITY)
    claims = cbor2.loads(cose.decode(unpack(token)).payload)
    assert claims == {6: int(now.timestamp()), 4: int((now + VALIDITY).timestamp())}
    assert all(type(value) is int for value in claims.values())


def test_same_input_gives_the_same_token(signer: Ed25519Signer, now: datetime) -> None:
    assert make_token(signer, now) == make_token(signer, now)


def test_one_of_several_prefixes(signer: Ed25519Signer, keys: KeySet, now: datetime) -> None:
    token = encode_token({}, signer=signer, prefix="ZM1:", issued_at=now,
                         expires_at=now + VALIDITY)
    result = decode_token(token, keys=keys, prefixes=["HC1:", "ZM1:"], now=now)
    assert result.prefix == "ZM1:"


_scalars = (st.integers(min_value=-(2**64), max_value=2**64 - 1) | st.text(max_size=12)
            | st.binary(max_size=12) | st.booleans() | st.none())
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.integers(-99, 99) | st.text(max_size=4), inner, max_size=4),
    max_leaves=16,
)
_claims = st.dictionaries(st.integers(-80_000, -1) | st.text(min_size=1, max_size=6), _values,
                          max_size=5)


@settings(max_examples=60, deadline=None)
@given(claims=_claims)
def test_any_cbor_claims_come_back_exactly(claims: dict[Any, Any]) -> None:
    signer = Ed25519Signer.from_seed(bytes(32))
    now = datetime.fromisoformat("2026-05-01T09:30:00+08:00")
    token = verify(make_token(signer, now, claims), KeySet([signer.public_key]), now)
    assert {k: v for k, v in token.claims.items() if k not in (4, 6)} == claims


def test_typical_certificate_fits_a_receipt_qr(signer: Ed25519Signer, now: datetime) -> None:
    assert 240 <= len(cbor2.dumps(CERTIFICATE)) <= 270
    token = make_token(signer, now)
    assert len(token) <= 535  # measured: 531 (263 bytes of claims, mostly incompressible)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q)
    code.add_data(token)
    code.make(fit=True)
    assert code.data_list[0].mode == qrcode.util.MODE_ALPHA_NUM
    assert code.version <= 17  # 85 modules: ~4 dots each on a 384-dot, 58 mm printer


# --- tampering ------------------------------------------------------------------------------

def _flip(data: bytes, index: int, bit: int = 0) -> bytes:
    return data[:index] + bytes([data[index] ^ (1 << bit)]) + data[index + 1:]


def _tampered(token: str, **changes: Any) -> str:
    message = cose.decode(unpack(token))
    return pack(cose.encode(replace(message, **changes)))


@pytest.mark.parametrize(
    ("part", "index", "expected"),
    [
        ("payload", 0, Reason.BAD_SIGNATURE),
        ("payload", 40, Reason.BAD_SIGNATURE),
        ("payload", -1, Reason.BAD_SIGNATURE),
        ("signature", 0, Reason.BAD_SIGNATURE),
        ("signature", 63, Reason.BAD_SIGNATURE),
        ("protected", 2, Reason.UNSUPPORTED_ALG),  # alg -8 (0x27) becomes -7 (0x26)
        ("protected", 7, Reason.UNKNOWN_KEY),  # a bit of the kid
        ("protected", 0, Reason.NOT_COSE),  # map of 2 becomes map of 3
    ],
)
def test_one_flipped_bit_is_caught(signer: Ed25519Signer, keys: KeySet, now: datetime,
                                   part: str, index: int, expected: Reason) -> None:
    token = make_token(signer, now)
    original = getattr(cose.decode(unpack(token)), part)
    tampered = pack(_tampered_bytes(unpack(token), part, _flip(original, index)))
    assert reason(tampered, keys, now) is expected


def _tampered_bytes(raw: bytes, part: str, value: bytes) -> bytes:
    # Rebuild the array by hand: a broken protected header must reach the parser as is.
    body = list(cbor2.loads(raw).value)
    body[["protected", "unprotected", "payload", "signature"].index(part)] = value
    return cbor2.dumps(cbor2.CBORTag(18, body))


def test_added_protected_header_breaks_the_signature(signer: Ed25519Signer, keys: KeySet,
                                                     now: datetime) -> None:
    token = make_token(signer, now)
    protected = cbor2.dumps({1: -8, 4: signer.kid, 3: 0})
    assert reason(_tampered(token, protected=protected), keys, now) is Reason.BAD_SIGNATURE


def test_wrong_key_is_unknown_key(signer: Ed25519Signer, other_signer: Ed25519Signer,
                                  keys: KeySet, now: datetime) -> None:
    assert reason(make_token(other_signer, now), keys, now) is Reason.UNKNOWN_KEY


class _Impostor:
    """Claims a trusted kid but signs with its own key."""

    alg = -8

    def __init__(self, kid: bytes, real: Ed25519Signer) -> None:
        self.kid, self.public_key, self._real = kid, real.public_key, real

    def sign(self, data: bytes) -> bytes:
        return self._real.sign(data)


def test_same_kid_other_key_is_bad_signature(signer: Ed25519Signer,
                                             other_signer: Ed25519Signer, keys: KeySet,
                                             now: datetime) -> None:
    token = make_token(_Impostor(signer.kid, other_signer), now)  # type: ignore[arg-type]
    assert reason(token, keys, now) is Reason.BAD_SIGNATURE


def test_missing_alg_and_kid(signer: Ed25519Signer, keys: KeySet, now: datetime) -> None:
    payload = cose.decode(unpack(make_token(signer, now))).payload
    no_alg = resign(signer, payload, protected={4: signer.kid})
    no_kid = resign(signer, payload, protected={1: -8})
    text_alg = resign(signer, payload, protected={1: "EdDSA", 4: signer.kid})
    assert reason(no_alg, keys, now) is Reason.UNSUPPORTED_ALG
    assert reason(text_alg, keys, now) is Reason.UNSUPPORTED_ALG
    assert reason(no_kid, keys, now) is Reason.UNKNOWN_KEY


# --- damaged, foreign and hostile text ------------------------------------------------------

def _groups(token: str, count: int) -> str:
    """Keep the prefix and `count` whole base45 groups (2 bytes each); negative: from the end."""
    if count < 0:
        count += (len(token) - len(PREFIX)) // 3
    return token[:len(PREFIX) + 3 * count]


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (lambda t: t[:2], Reason.BAD_PREFIX),
        (lambda t: _groups(t, 0), Reason.MALFORMED),  # the prefix alone: no zlib stream
        (lambda t: _groups(t, 0) + t[4], Reason.NOT_BASE45),  # one character: length 3n+1
        (lambda t: _groups(t, 1), Reason.MALFORMED),  # just the zlib header
        (lambda t: _groups(t, 50), Reason.MALFORMED),  # zlib stream cut short
        (lambda t: _groups(t, 50) + "A", Reason.NOT_BASE45),
        (lambda t: _groups(t, -1), Reason.MALFORMED),  # the end of the Adler-32 lost
        (lambda t: _groups(t, -1) + "A", Reason.NOT_BASE45),
    ],
)
def test_truncated_token(signer: Ed25519Signer, keys: KeySet, now: datetime, cut: Any,
                         expected: Reason) -> None:
    assert reason(cut(make_token(signer, now)), keys, now) is expected


@pytest.mark.parametrize("damage", [str.lower, lambda t: t + "\n", lambda t: t[:-3] + "AB#",
                                    lambda t: t[:-3] + "张三丰", lambda t: t[:10] + "=" + t[11:]])
def test_not_base45(signer: Ed25519Signer, keys: KeySet, now: datetime, damage: Any) -> None:
    token = damage(make_token(signer, now))
    assert token.startswith(PREFIX) or token.startswith(PREFIX.lower())
    expected = Reason.BAD_PREFIX if token.startswith("hc1:") else Reason.NOT_BASE45
    assert reason(token, keys, now) is expected


@pytest.mark.parametrize("text", ["", "HC2:NCFOXN", "hc1:NCFOXN", " HC1:NCFOXN", "NCFOXN",
                                  "https://example.org/HC1:"])
def test_bad_prefix(keys: KeySet, now: datetime, text: str) -> None:
    assert reason(text, keys, now) is Reason.BAD_PREFIX


def test_oversized_input_is_refused_before_decoding(keys: KeySet, now: datetime) -> None:
    assert reason(PREFIX + "0" * MAX_TOKEN_CHARS, keys, now) is Reason.TOO_LARGE
    assert reason("#" * 100_000, keys, now) is Reason.TOO_LARGE  # not even base45


def test_decompression_bomb_is_refused_without_allocating_it(
    signer: Ed25519Signer, keys: KeySet, now: datetime
) -> None:
    bomb_size = 2_500_000
    bomb = resign(signer, bytes(bomb_size))  # a correctly signed, 2.5 MB payload
    assert len(bomb) < MAX_TOKEN_CHARS
    tracemalloc.start()
    try:
        assert reason(bomb, keys, now) is Reason.TOO_LARGE
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < bomb_size // 10


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        # a byte after the zlib stream
        (lambda raw: PREFIX + base45.encode(zlib.compress(raw) + b"\0"), Reason.MALFORMED),
        (lambda raw: pack(raw + b"\0"), Reason.NOT_COSE),  # a byte after the COSE message
        (lambda raw: PREFIX + base45.encode(raw), Reason.MALFORMED),  # not compressed at all
        (lambda raw: pack(b""), Reason.NOT_COSE),
        (lambda raw: pack(b"\xff" * 10), Reason.NOT_COSE),
    ],
)
def test_trailing_and_foreign_data(signer: Ed25519Signer, keys: KeySet, now: datetime,
                                   mangle: Any, expected: Reason) -> None:
    raw = unpack(make_token(signer, now))
    assert reason(mangle(raw), keys, now) is expected


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ([1, 2], Reason.NOT_COSE),  # a signed CWT must be a map
        ({6: 0}, Reason.MALFORMED),  # no exp
        ({4: 2_000_000_000}, Reason.MALFORMED),  # no iat
        ({4: "2030-01-01", 6: 0}, Reason.MALFORMED),
        ({4: 2_000_000_000, 6: 0, 1: b"issuer"}, Reason.MALFORMED),  # iss must be text
        ({4: 2_000_000_000, 6: True}, Reason.MALFORMED),
    ],
)
def test_signed_but_invalid_claims(signer: Ed25519Signer, keys: KeySet, now: datetime,
                                   claims: Any, expected: Reason) -> None:
    assert reason(resign(signer, cbor2.dumps(claims)), keys, now) is expected


def test_signed_trailing_bytes_after_claims(signer: Ed25519Signer, keys: KeySet,
                                            now: datetime) -> None:
    payload = cbor2.dumps({4: 2_000_000_000, 6: 0}) + b"\0"
    assert reason(resign(signer, payload), keys, now) is Reason.NOT_COSE


def test_non_text_input_is_malformed(keys: KeySet, now: datetime) -> None:
    assert reason(b"HC1:", keys, now) is Reason.MALFORMED


# --- validity period ------------------------------------------------------------------------

def test_expiry_is_exclusive(signer: Ed25519Signer, keys: KeySet, now: datetime) -> None:
    token = make_token(signer, now)
    verify(token, keys, now + VALIDITY - timedelta(seconds=1))
    assert reason(token, keys, now + VALIDITY) is Reason.EXPIRED
    assert reason(token, keys, now + VALIDITY * 10) is Reason.EXPIRED


def test_not_yet_valid_beyond_clock_leeway(signer: Ed25519Signer, keys: KeySet,
                                           now: datetime) -> None:
    token = make_token(signer, now)
    verify(token, keys, now - timedelta(minutes=5))  # a kiosk clock a little ahead is fine
    assert reason(token, keys, now - timedelta(minutes=5, seconds=1)) is Reason.NOT_YET_VALID
    with pytest.raises(TokenError, match="not_yet_valid"):
        decode_token(token, keys=keys, prefixes=[PREFIX], now=now - timedelta(seconds=1),
                     leeway=timedelta(0))


def test_not_before_claim_is_honoured(signer: Ed25519Signer, keys: KeySet, now: datetime) -> None:
    later = int((now + timedelta(days=1)).timestamp())
    token = make_token(signer, now, {5: later})
    assert reason(token, keys, now) is Reason.NOT_YET_VALID
    assert verify(token, keys, now + timedelta(days=1)).claims[5] == later


def test_signature_is_checked_before_dates(signer: Ed25519Signer, other_signer: Ed25519Signer,
                                           keys: KeySet, now: datetime) -> None:
    token = make_token(other_signer, now)
    assert reason(token, keys, now + VALIDITY * 2) is Reason.UNKNOWN_KEY


# --- inspection for technicians -------------------------------------------------------------

def test_inspect_shows_claims_of_tokens_that_fail_verification(
    signer: Ed25519Signer, other_signer: Ed25519Signer, now: datetime
) -> None:
    expired = make_token(signer, now - VALIDITY * 2)
    foreign = make_token(other_signer, now)
    forged = _tampered(make_token(signer, now), signature=bytes(64))
    for token in (expired, foreign, forged):
        contents = inspect_token(token, [PREFIX])
        assert contents.claims[-70001] == CERTIFICATE[-70001]
        assert contents.alg == -8
    assert inspect_token(foreign, [PREFIX]).kid == other_signer.kid
    assert not isinstance(inspect_token(expired, [PREFIX]), VerifiedToken)


def test_inspect_still_refuses_broken_structure(signer: Ed25519Signer, now: datetime) -> None:
    with pytest.raises(TokenError) as caught:
        inspect_token(_groups(make_token(signer, now), 15), [PREFIX])
    assert caught.value.reason is Reason.MALFORMED


# --- programming mistakes fail loudly at the issuer -----------------------------------------

@pytest.mark.parametrize("prefix", ["HC1", "hc1:", "TOOLONG1:", "H C:", "", ":", "1HC:"])
def test_bad_prefix_format_is_a_programming_error(signer: Ed25519Signer, now: datetime,
                                                  keys: KeySet, prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        encode_token({}, signer=signer, prefix=prefix, issued_at=now, expires_at=now + VALIDITY)
    with pytest.raises(ValueError, match="prefix"):
        decode_token("HC1:", keys=keys, prefixes=[prefix], now=now)


@pytest.mark.parametrize(
    ("claims", "issued", "expires"),
    [
        ({4: 1}, "2026-05-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"),
        ({6: 1}, "2026-05-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"),
        ({1: 42}, "2026-05-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"),
        ({7: "not bytes"}, "2026-05-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"),
        ([], "2026-05-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"),
        ({}, "2026-05-01T00:00:00", "2026-06-01T00:00:00+00:00"),  # naive
        ({}, "2026-05-01T00:00:00+00:00", "2026-05-01T00:00:00+00:00"),  # empty period
    ],
)
def test_encode_refuses_bad_input(signer: Ed25519Signer, claims: Any, issued: str,
                                  expires: str) -> None:
    with pytest.raises(ValueError):
        encode_token(claims, signer=signer, prefix=PREFIX,
                     issued_at=datetime.fromisoformat(issued),
                     expires_at=datetime.fromisoformat(expires))


def test_encode_refuses_a_token_too_large_to_read_back(signer: Ed25519Signer,
                                                       now: datetime) -> None:
    with pytest.raises(ValueError, match="refused when read"):
        noise = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(100))
        make_token(signer, now, {-1: noise})  # 3200 incompressible bytes


def test_decode_needs_an_aware_clock(signer: Ed25519Signer, keys: KeySet, now: datetime) -> None:
    with pytest.raises(ValueError, match="timezone"):
        verify(make_token(signer, now), keys, now.replace(tzinfo=None))
