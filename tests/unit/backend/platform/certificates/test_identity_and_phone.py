"""The platform's identity key (made once, private, published to stations) and the phone copy's
download link checked against the issuing station's request key."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from backend.platform.db.area_models import ChangeRecord
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import stations
from backend.platform.services.certificates import phone
from backend.platform.services.certificates.identity import IdentityKeys, identity_keys, publish_identity_keys
from backend.platform.services.publishing import revoke
from backend.shared.errors import AppError
from backend.shared.phone_link import make_link
from backend.shared.protocol import EnrolRequest
from backend.shared.tickets.contact import public_bytes
from backend.shared.tokens import export_jwks, generate_signer, import_jwks

from ..conftest import COMMUNITY, NOW
from .conftest import FakeStation


def test_the_identity_key_is_private_made_once_and_published_once(runtime: PlatformRuntime,
                                                                  tmp_path: Path) -> None:
    keys = IdentityKeys(tmp_path / "keys")
    assert stat.S_IMODE(keys.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.path.parent.stat().st_mode) == 0o700
    assert IdentityKeys(tmp_path / "keys").signer.kid == keys.signer.kid  # a restart keeps it
    own = identity_keys(runtime.settings.keys_dir)
    with runtime.db() as session:  # published when the database was prepared
        published = session.scalars(select(ChangeRecord).where(ChangeRecord.kind == "identity")).all()
    assert [(c.scope, c.payload) for c in published] == [("district", own.jwks())]
    assert own.signer.kid != keys.signer.kid  # separate from everything else, per data folder
    with write_transaction(runtime.db) as session:
        assert publish_identity_keys(session, jwks=own.jwks(), now=NOW) is None  # unchanged: no change


def test_enrolment_gives_the_station_the_identity_keys(runtime: PlatformRuntime) -> None:
    own = identity_keys(runtime.settings.keys_dir)
    with write_transaction(runtime.db) as session:
        stations.create_station(session, station_id="st-i", name="i", community_code=COMMUNITY,
                                station_code="S09", now=NOW)
        code, _ = stations.new_enrolment_code(session, station_id="st-i", now=NOW, minutes=5, created_by="t")
    request = EnrolRequest(code=code, request_key=export_jwks([generate_signer().public_key])["keys"][0],
                           certificate_keys=export_jwks([generate_signer().public_key]))
    context = stations.EnrolmentContext("http://platform", "460107", runtime.id_hash_key, 30, own.jwks(),
                                          hash_master=runtime.hash_master,
                                          contact_key=public_bytes(runtime.contact.public_key))
    with write_transaction(runtime.db) as session:
        response = stations.enrol(session, request=request, now=NOW, context=context)
    assert [k.kid for k in import_jwks(response.identity_keys)] == [own.signer.kid]


def _link(station: FakeStation, certificate_id: str, minutes_ago: float = 0) -> tuple[str, str]:
    link = make_link(station.signer, base_url="http://platform", certificate_id=certificate_id,
                     now=NOW - timedelta(minutes=minutes_ago))
    query = parse_qs(urlsplit(link.url).query)
    return query["exp"][0], query["sig"][0]


def _checked(runtime: PlatformRuntime, certificate_id: str, exp: str, sig: str) -> str:
    with runtime.db() as session:
        return phone.checked_certificate(session, certificate_id=certificate_id, exp=exp, sig=sig, now=NOW).id


def test_a_link_signed_by_the_issuing_station_gives_the_pdf(runtime: PlatformRuntime,
                                                           station_a: FakeStation) -> None:
    certificate = station_a.certificate()
    station_a.send(("certificate.issued", certificate))
    exp, sig = _link(station_a, certificate["id"])
    assert _checked(runtime, certificate["id"], exp, sig) == certificate["id"]
    with runtime.db() as session:
        record = phone.checked_certificate(session, certificate_id=certificate["id"], exp=exp, sig=sig, now=NOW)
        assert phone.certificate_pdf(session, record).startswith(b"%PDF")


@pytest.mark.parametrize("case,code", [
    ("another station's signature", "phone_link.invalid"),
    ("expired", "phone_link.expired"),
    ("not yet on the platform", "phone_link.not_available"),
    ("revoked", "phone_link.revoked"),
])
def test_links_refused(runtime: PlatformRuntime, station_a: FakeStation, station_b: FakeStation, case: str,
                       code: str) -> None:
    certificate = station_a.certificate()
    if case != "not yet on the platform":
        station_a.send(("certificate.issued", certificate))
    exp, sig = _link(station_b if case == "another station's signature" else station_a, certificate["id"],
                     minutes_ago=11 if case == "expired" else 0)
    if case == "revoked":
        with write_transaction(runtime.db) as session:
            revoke(session, identifier=certificate["identifier"], reason="x", by="admin", now=NOW)
    with pytest.raises(AppError) as refused:
        _checked(runtime, certificate["id"], exp, sig)
    assert refused.value.code == code
    assert code in phone.error_page(refused.value)
