"""Request signing against the RFC 9421 (B.2.6, ed25519) and RFC 9530 test vectors, and every
refusal a forged, stale or tampered request meets."""

from __future__ import annotations

import base64

import pytest

from backend.shared.protocol import httpsig
from backend.shared.protocol.httpsig import (
    SignatureError,
    content_digest,
    digest_matches,
    sign_request,
    signature_base,
    verify_request,
)
from backend.shared.protocol.structured import InnerList, Item, parse_dictionary
from backend.shared.tokens import Ed25519Signer, PublicKey, generate_signer
from backend.shared.tokens.b64url import b64url_decode

# RFC 9421 Appendix B.1.4 (test-key-ed25519) as the JWK's d and x.
RFC_SEED = b64url_decode("n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU")
RFC_PUBLIC_X = "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"
B26_INPUT = ('sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")'
             ';created=1618884473;keyid="test-key-ed25519"')
B26_SIGNATURE = ("wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==")
B26_BASE = ('"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
            '"@method": POST\n'
            '"@path": /foo\n'
            '"@authority": example.com\n'
            '"content-type": application/json\n'
            '"content-length": 18\n'
            '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" '
            '"content-length");created=1618884473;keyid="test-key-ed25519"')
B2_FIELDS = {"date": "Tue, 20 Apr 2021 02:07:55 GMT", "content-type": "application/json",
             "content-length": "18", "host": "example.com"}
B2_URL = "https://example.com/foo?param=Value&Pet=dog"
BODY = b'{"hello": "world"}'
NOW = 1_800_000_000


def test_rfc9421_b26_signature_base_and_deterministic_signature() -> None:
    covered = parse_dictionary(B26_INPUT)["sig-b26"]
    assert isinstance(covered, InnerList)
    base = signature_base(covered, method="POST", url=B2_URL, fields=B2_FIELDS)
    assert base == B26_BASE
    signature = Ed25519Signer.from_seed(RFC_SEED).sign(base.encode())
    assert base64.b64encode(signature).decode() == B26_SIGNATURE


def test_rfc9421_b26_public_key_is_the_published_one() -> None:
    jwk_x = Ed25519Signer.from_seed(RFC_SEED).public_key
    from backend.shared.tokens.ed25519 import ED25519
    assert ED25519.jwk_members(jwk_x.spki)["x"] == RFC_PUBLIC_X


def test_rfc9530_content_digest_example() -> None:
    assert content_digest(BODY) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
    # A field listing several algorithms is read for its sha-256 member.
    both = ("sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:, "
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
    assert digest_matches(both, BODY)
    assert not digest_matches(both, BODY + b" ")
    assert not digest_matches("sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:", BODY)


SIGNER = generate_signer()
OTHER = generate_signer()
URL = "http://127.0.0.1:8480/api/sync/events"


def _signed(body: bytes = BODY, *, signer=SIGNER, keyid: str = "station-1", created: int = NOW,
            nonce: str = "nonce-0001") -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    return headers | sign_request(method="POST", url=URL, headers=headers, body=body, signer=signer,
                                  keyid=keyid, created=created, nonce=nonce)


def _keys(keyid: str) -> PublicKey | None:
    return {"station-1": SIGNER.public_key, "station-2": OTHER.public_key}.get(keyid)


def _verify(headers: dict[str, str], body: bytes = BODY, *, url: str = URL, method: str = "POST",
            now: int = NOW) -> httpsig.VerifiedRequest:
    return verify_request(method=method, url=url, headers=headers, body=body, key_for=_keys, now=now)


def test_a_signed_request_verifies_and_names_its_signer() -> None:
    headers = _signed()
    assert headers["Signature-Input"] == (
        'sig1=("@method" "@target-uri" "content-digest");created=1800000000;keyid="station-1";'
        'nonce="nonce-0001";alg="ed25519"')
    verified = _verify(headers)
    assert (verified.keyid, verified.created, verified.nonce) == ("station-1", NOW, "nonce-0001")


def test_header_names_are_case_insensitive() -> None:
    assert _verify({k.lower(): v for k, v in _signed().items()}).keyid == "station-1"


def _without(name: str) -> dict[str, str]:
    return {k: v for k, v in _signed().items() if k != name}


def _replace(name: str, old: str, new: str) -> dict[str, str]:
    headers = _signed()
    headers[name] = headers[name].replace(old, new)
    return headers


@pytest.mark.parametrize(("headers", "body", "kwargs", "reason"), [
    (_without("Signature"), BODY, {}, "missing"),
    (_without("Signature-Input"), BODY, {}, "missing"),
    (_without("Content-Digest"), BODY, {}, "digest_mismatch"),
    (_signed(), BODY + b"x", {}, "digest_mismatch"),
    (_signed(), BODY, {"url": URL + "?x=1"}, "bad_signature"),
    (_signed(), BODY, {"method": "PUT"}, "bad_signature"),
    (_signed(keyid="station-2"), BODY, {}, "bad_signature"),  # signed with 1's key, claims 2
    (_signed(keyid="station-9"), BODY, {}, "unknown_key"),
    (_signed(created=NOW - 301), BODY, {}, "stale"),
    (_signed(created=NOW + 301), BODY, {}, "stale"),
    (_replace("Signature-Input", ';nonce="nonce-0001"', ""), BODY, {}, "malformed"),
    (_replace("Signature-Input", ';nonce="nonce-0001"', ';nonce="short"'), BODY, {}, "malformed"),
    (_replace("Signature-Input", '"content-digest"', ""), BODY, {}, "missing_component"),
    (_replace("Signature-Input", 'alg="ed25519"', 'alg="rsa-pss-sha512"'), BODY, {}, "malformed"),
    (_replace("Signature-Input", "sig1=(", "sig1=(("), BODY, {}, "malformed"),
    (_replace("Signature", "sig1=:", "sig1=:AAAA"), BODY, {}, "bad_signature"),
    (_replace("Signature", "sig1=", "other="), BODY, {}, "missing"),
    (_replace("Signature", ":", "!"), BODY, {}, "malformed"),
], ids=["no-signature", "no-input", "no-digest", "body-changed", "url-changed", "method-changed",
        "claims-another-station", "unknown-key", "too-old", "too-new", "no-nonce", "short-nonce",
        "digest-not-covered", "other-alg", "bad-structure", "tampered-signature", "other-label",
        "not-base64"])
def test_refusals(headers: dict[str, str], body: bytes, kwargs: dict[str, str], reason: str) -> None:
    with pytest.raises(SignatureError) as caught:
        _verify(headers, body, **kwargs)
    assert caught.value.reason == reason


def test_a_changed_created_or_nonce_breaks_the_signature() -> None:
    headers = _replace("Signature-Input", "created=1800000000", "created=1800000001")
    with pytest.raises(SignatureError, match="bad_signature"):
        _verify(headers)
    headers = _replace("Signature-Input", 'nonce="nonce-0001"', 'nonce="nonce-0002"')
    with pytest.raises(SignatureError, match="bad_signature"):
        _verify(headers)


def test_window_edges_are_inclusive() -> None:
    assert _verify(_signed(created=NOW - 300)).created == NOW - 300
    assert _verify(_signed(created=NOW + 300)).created == NOW + 300


def test_fresh_nonces_differ() -> None:
    assert len({httpsig.new_nonce() for _ in range(100)}) == 100


def test_signature_base_refuses_a_header_it_does_not_have() -> None:
    covered = InnerList([Item("x-missing")], {"created": 1})
    with pytest.raises(SignatureError, match="missing_component"):
        signature_base(covered, method="GET", url=URL, fields={})
