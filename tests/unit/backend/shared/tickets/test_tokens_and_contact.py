"""The slip's QR token ("GD1:", only the ticket number) and sealed contact details."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from backend.shared.errors import AppError
from backend.shared.tickets.contact import ContactOpener, ContactSealer, SealError, legacy_seal, public_bytes
from backend.shared.tickets.slip_token import SLIP_PREFIX, encode_slip, read_slip
from backend.shared.tokens import KeySet, generate_signer, inspect_token

from .conftest import local

NOW = local(2026, 11, 26, 10)
NUMBER = "GD-261126-460107002001-S01-0007"


def test_a_slip_carries_only_the_ticket_number() -> None:
    signer = generate_signer()
    token = encode_slip(NUMBER, signer=signer, issued_at=NOW)
    assert token.startswith(SLIP_PREFIX) and len(token) < 240  # a small QR (version 11 at level Q)
    assert set(inspect_token(token, [SLIP_PREFIX]).claims) == {-70101, 4, 6}  # number, exp, iat
    assert read_slip(token + "\r\n", keys=KeySet([signer.public_key]), now=NOW + timedelta(days=30)) == NUMBER


def test_forged_or_foreign_slips_are_refused() -> None:
    signer, stranger = generate_signer(), generate_signer()
    token = encode_slip(NUMBER, signer=signer, issued_at=NOW)
    keys = KeySet([signer.public_key])
    cases = [
        (encode_slip(NUMBER, signer=stranger, issued_at=NOW), keys, NOW),  # unknown key
        (token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"), keys, NOW),  # altered
        ("ZM1:" + token[4:], keys, NOW),  # a certificate's prefix
        ("not a token", keys, NOW),
        (token, keys, NOW + timedelta(days=3 * 365 + 1)),  # expired
    ]
    for text, key_set, now in cases:
        with pytest.raises(AppError) as refused:
            read_slip(text, keys=key_set, now=now)
        assert refused.value.code == "ticket.bad_slip"


def test_contacts_sealed_to_the_platform_open_only_with_its_private_key() -> None:
    platform = ContactOpener(X25519PrivateKey.generate())
    sealer = ContactSealer(public_bytes(platform.public_key))  # what a station holds
    sealed = sealer.seal({"phone": "13812345678"})
    assert "138" not in sealed and sealed.startswith("v2.")
    assert platform.open(sealed) == {"phone": "13812345678"}
    assert sealer.seal({"phone": "13812345678"}) != sealed  # a fresh key pair and nonce every time
    assert not hasattr(sealer, "open")  # a station seals; it cannot open
    with pytest.raises(SealError):
        ContactOpener(X25519PrivateKey.generate()).open(sealed)
    with pytest.raises(SealError):
        platform.open(sealed[:-2] + "AA")


def test_contacts_sealed_the_old_way_open_only_on_the_platform_with_the_old_key() -> None:
    old = legacy_seal(b"k" * 32, {"phone": "13812345678"})
    assert ContactOpener(X25519PrivateKey.generate(), legacy_secret=b"k" * 32).open(old) == {"phone": "13812345678"}
    with pytest.raises(SealError):
        ContactOpener(X25519PrivateKey.generate()).open(old)
