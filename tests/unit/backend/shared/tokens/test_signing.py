"""Key ids, the trust store (rotation, algorithm confusion) and the scheme registry."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pytest

from backend.shared.tokens import (
    EDDSA,
    SCHEMES,
    Ed25519Signer,
    KeySet,
    PublicKey,
    Reason,
    TokenError,
    compute_kid,
    register_scheme,
)

RFC8032_TEST1_X = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
ED25519_SPKI_HEADER = bytes.fromhex("302a300506032b6570032100")  # RFC 8410 §4 / §10.1


def test_kid_is_sha256_of_spki_truncated_to_8_bytes() -> None:
    # Built by hand from RFC 8410's fixed Ed25519 SPKI layout, not through cryptography.
    spki = ED25519_SPKI_HEADER + bytes.fromhex(RFC8032_TEST1_X)
    expected = hashlib.sha256(spki).digest()[:8]
    signer = Ed25519Signer.from_seed(
        bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    assert signer.public_key.spki == spki
    assert signer.kid == compute_kid(spki) == expected
    assert len(signer.kid) == 8


def test_ed25519_signatures_are_deterministic_and_verifiable(signer: Ed25519Signer) -> None:
    assert signer.sign(b"data") == signer.sign(b"data")
    assert len(signer.sign(b"data")) == 64
    KeySet([signer.public_key]).verify(signer.kid, EDDSA, b"data", signer.sign(b"data"))


def _reason(keys: KeySet, kid: bytes, alg: int, data: bytes, signature: bytes) -> Reason:
    with pytest.raises(TokenError) as caught:
        keys.verify(kid, alg, data, signature)
    return caught.value.reason


def test_unknown_kid_is_unknown_key(signer: Ed25519Signer, other_signer: Ed25519Signer) -> None:
    keys = KeySet([signer.public_key])
    sig = other_signer.sign(b"d")
    assert _reason(keys, other_signer.kid, EDDSA, b"d", sig) is Reason.UNKNOWN_KEY


def test_signature_by_another_key_under_a_trusted_kid_is_bad(
    signer: Ed25519Signer, other_signer: Ed25519Signer
) -> None:
    keys = KeySet([signer.public_key])
    forged = other_signer.sign(b"d")
    assert _reason(keys, signer.kid, EDDSA, b"d", forged) is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("signature", [b"", b"\x00" * 64, b"\x00" * 65])
def test_garbage_signature_is_bad(signer: Ed25519Signer, signature: bytes) -> None:
    keys = KeySet([signer.public_key])
    assert _reason(keys, signer.kid, EDDSA, b"d", signature) is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("alg", [-7, -35, 0, 9999])
def test_unregistered_alg_is_unsupported(signer: Ed25519Signer, alg: int) -> None:
    keys = KeySet([signer.public_key])
    assert _reason(keys, signer.kid, alg, b"d", signer.sign(b"d")) is Reason.UNSUPPORTED_ALG


class _AcceptAnything:
    """A hostile scheme that would accept any signature."""

    alg = -65000
    jose_alg = "NONE"
    jwk_kind = ("none", "none")

    def verify(self, spki: bytes, data: bytes, signature: bytes) -> bool:
        return True

    def generate(self) -> Any:
        raise NotImplementedError

    def load_signer(self, pem: bytes) -> Any:
        return None

    def jwk_members(self, spki: bytes) -> dict[str, str]:
        raise NotImplementedError

    def spki_from_jwk(self, jwk: Mapping[str, Any]) -> bytes:
        raise NotImplementedError


def test_message_cannot_pick_another_scheme_for_a_trusted_key(
    signer: Ed25519Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(SCHEMES, _AcceptAnything.alg, _AcceptAnything())
    keys = KeySet([signer.public_key])
    assert _reason(keys, signer.kid, _AcceptAnything.alg, b"d", b"") is Reason.BAD_SIGNATURE


def test_register_scheme_refuses_a_second_scheme_for_one_alg() -> None:
    class Impostor(_AcceptAnything):
        alg = EDDSA

    with pytest.raises(ValueError, match="already registered"):
        register_scheme(Impostor())
    assert SCHEMES[EDDSA].jose_alg == "EdDSA"


def test_rotation_keeps_old_keys_until_removed(
    signer: Ed25519Signer, other_signer: Ed25519Signer
) -> None:
    keys = KeySet([signer.public_key, other_signer.public_key])
    for one in (signer, other_signer):
        keys.verify(one.kid, EDDSA, b"d", one.sign(b"d"))
    keys.remove(signer.kid)
    assert signer.kid not in keys and len(keys) == 1
    assert _reason(keys, signer.kid, EDDSA, b"d", signer.sign(b"d")) is Reason.UNKNOWN_KEY


def test_keyset_indexes_by_computed_kid(signer: Ed25519Signer) -> None:
    keys = KeySet([signer.public_key, signer.public_key])
    assert len(keys) == 1
    assert keys.get(signer.kid) == PublicKey(EDDSA, signer.public_key.spki)
    assert list(keys) == [signer.public_key]
