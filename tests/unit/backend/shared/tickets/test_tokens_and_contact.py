"""The slip's QR token ("GD1:", only the ticket number) and sealed contact details."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.shared.errors import AppError
from backend.shared.tickets.contact import ContactSealer, SealError
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


def test_contacts_open_only_with_the_same_secret() -> None:
    sealer = ContactSealer(b"k" * 32)
    sealed = sealer.seal({"phone": "13812345678"})
    assert "138" not in sealed
    assert sealer.open(sealed) == {"phone": "13812345678"}
    assert sealer.seal({"phone": "13812345678"}) != sealed  # a fresh nonce every time
    with pytest.raises(SealError):
        ContactSealer(b"x" * 32).open(sealed)
    with pytest.raises(SealError):
        sealer.open(sealed[:-2] + "AA")
    with pytest.raises(ValueError):
        ContactSealer(b"short")
