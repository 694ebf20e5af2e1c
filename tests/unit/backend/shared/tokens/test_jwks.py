"""The trust list as a JWK Set: exact export, round trip, and refusal of every bad entry."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from backend.shared.tokens import (
    Ed25519Signer,
    JwksError,
    KeyBinding,
    decode_token,
    encode_token,
    export_jwks,
    import_jwks,
)

RFC8032_TEST1_D = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
# RFC 8037 Appendix A.2: the public JWK of the RFC 8032 TEST 1 key.
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"


def _entry(signer: Ed25519Signer) -> dict[str, Any]:
    return export_jwks([signer.public_key])["keys"][0]


def test_export_has_exactly_the_published_members() -> None:
    signer = Ed25519Signer.from_seed(bytes.fromhex(RFC8032_TEST1_D))
    kid = base64.urlsafe_b64encode(signer.kid).rstrip(b"=").decode()
    assert export_jwks([signer.public_key]) == {"keys": [{
        "kty": "OKP", "crv": "Ed25519", "x": RFC8037_X, "kid": kid, "alg": "EdDSA", "use": "sig",
    }]}


def test_round_trip_through_json_verifies_tokens(
    signer: Ed25519Signer, other_signer: Ed25519Signer, now: datetime
) -> None:
    published = json.dumps(export_jwks([signer.public_key, other_signer.public_key]))
    keys = import_jwks(published)
    assert sorted(key.kid for key in keys) == sorted([signer.kid, other_signer.kid])
    for one in (signer, other_signer):
        token = encode_token({}, signer=one, prefix="HC1:", issued_at=now,
                             expires_at=now + timedelta(days=1))
        assert decode_token(token, keys=keys, prefixes=["HC1:"], now=now).kid == one.kid


def test_unknown_members_are_ignored(signer: Ed25519Signer) -> None:
    entry = {**_entry(signer), "x5t#S256": "ignored", "key_ops": ["verify"]}
    assert len(import_jwks({"keys": [entry], "issuer": "platform"})) == 1


def test_empty_set_gives_empty_keyset() -> None:
    assert len(import_jwks({"keys": []})) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kty": "EC"}, "unsupported key type"),
        ({"crv": "Ed448"}, "unsupported key type"),
        ({"alg": "ES256"}, "alg"),
        ({"use": "enc"}, "use"),
        ({"d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}, "private key"),
        ({"x": RFC8037_X}, "does not match"),
        ({"kid": "AAAAAAAAAAA"}, "does not match"),
        ({"kid": "AAAA"}, "does not match"),
        ({"kid": None}, "base64url"),
        ({"x": None}, "base64url"),
        ({"x": RFC8037_X + "="}, "base64url"),
        ({"x": RFC8037_X[:-1] + "p"}, "non-canonical"),
        ({"x": "AAAA"}, "32"),
        ({"x": "11qY+YKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"}, "base64url"),
    ],
)
def test_bad_entry_is_refused(signer: Ed25519Signer, change: dict[str, Any], message: str) -> None:
    entry = {**_entry(signer), **change}
    with pytest.raises(JwksError, match=message):
        import_jwks({"keys": [_entry(signer), entry]})


@pytest.mark.parametrize(
    "document",
    ["not json", "[]", '{"keys": {}}', '{"keys": [1]}', '{"key": []}', b"\xff"],
)
def test_bad_document_is_refused(document: str | bytes) -> None:
    with pytest.raises(JwksError):
        import_jwks(document)


def test_a_bound_key_keeps_its_station_through_json(signer: Ed25519Signer) -> None:
    holder = KeyBinding(station_id="qs-guilin-01", community_code="460107001001", station_code="S01")
    entry = export_jwks([signer.public_key], holder)["keys"][0]
    assert (entry["station_id"], entry["community"], entry["station_code"]) == (
        "qs-guilin-01", "460107001001", "S01")
    keys = import_jwks(json.dumps({"keys": [entry]}))
    assert keys.binding(signer.kid) == holder
    assert export_jwks(keys)["keys"][0] == entry  # a KeySet exports each key with its own holder


@pytest.mark.parametrize("dropped", ["station_id", "community", "station_code"])
def test_a_half_bound_key_is_refused(signer: Ed25519Signer, dropped: str) -> None:
    holder = KeyBinding(station_id="qs-guilin-01", community_code="460107001001", station_code="S01")
    entry = export_jwks([signer.public_key], holder)["keys"][0]
    del entry[dropped]
    with pytest.raises(JwksError, match="station_id, community and station_code"):
        import_jwks({"keys": [entry]})


@pytest.mark.parametrize(("issuer", "community", "serial", "allowed"), [
    ("qs-guilin-01", "460107001001", "2026-S01-000001", True),
    ("qs-fucheng-01", "460107001001", "2026-S01-000001", False),  # another station's name
    ("qs-guilin-01", "460107002001", "2026-S01-000001", False),  # another community
    ("qs-guilin-01", "460107001001", "2026-S02-000001", False),  # another station's serials
    ("qs-guilin-01", "460107001001", "S01", False),  # not a serial at all
])
def test_a_binding_allows_only_its_own_station(issuer: str, community: str, serial: str,
                                               allowed: bool) -> None:
    holder = KeyBinding(station_id="qs-guilin-01", community_code="460107001001", station_code="S01")
    assert holder.allows(issuer=issuer, community_code=community, serial=serial) is allowed
