"""Identifying with the resident QR code: once, briefly, for this community, from the platform only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.shared.errors import AppError
from backend.shared.resident_qr import mint_resident_qr
from backend.shared.tokens import export_jwks, generate_signer
from backend.station.services.identity import ResidentQrProvider

from .conftest import NOW, StationDb

PLATFORM = generate_signer()


def _provider(env: StationDb) -> ResidentQrProvider:
    env.keys.save_identity_keys(export_jwks([PLATFORM.public_key]))
    return ResidentQrProvider(keys=env.keys.identity_trust(), community_code="460107002001", db=env.db)


def _code(env: StationDb, signer=PLATFORM, community: str = "460107002001", **overrides: object) -> str:  # type: ignore[no-untyped-def]
    who = env.identity("李四")
    args = {"issuer": "platform", "id_hash": who.id_hash, "name": who.name, "id_masked": who.id_masked,
            "community_code": community, "now": NOW, **overrides}
    return mint_resident_qr(signer, **args)  # type: ignore[arg-type]


def test_a_fresh_code_identifies_the_resident_once(station_db: StationDb) -> None:
    provider = _provider(station_db)
    code = _code(station_db)
    identity = provider.identify(code, now=NOW + timedelta(seconds=20))
    assert identity.id_hash == station_db.identity("李四").id_hash and identity.source == "qr"
    assert identity.id_masked == "4601*************1"
    with pytest.raises(AppError) as again:
        provider.identify(code, now=NOW + timedelta(seconds=30))
    assert again.value.code == "identity.reused"


@pytest.mark.parametrize(
    ("make", "when", "code"),
    [
        (lambda env: _code(env), 120, "identity.expired"),
        (lambda env: _code(env, signer=env.keys.signer), 10, "identity.forged"),  # a station key is not trusted for identity
        (lambda env: _code(env, signer=generate_signer()), 10, "identity.forged"),
        (lambda env: _code(env, community="460107002999"), 10, "identity.wrong_community"),
        (lambda env: _code(env, ttl=timedelta(hours=1)), 10, "identity.forged"),
        (lambda env: "ZM1:" + _code(env)[4:], 10, "identity.malformed"),
        (lambda env: "hello", 10, "identity.malformed"),
    ],
)
def test_bad_codes_are_refused_with_a_reason(station_db: StationDb, make, when: int, code: str) -> None:  # type: ignore[no-untyped-def]
    provider = _provider(station_db)
    with pytest.raises(AppError) as caught:
        provider.identify(make(station_db), now=NOW + timedelta(seconds=when))
    assert caught.value.code == code
    assert caught.value.spec.zh and caught.value.spec.en
