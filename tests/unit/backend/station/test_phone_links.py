"""The link behind the kiosk's second QR: offered once the platform has the certificate, and
otherwise a plain reason (not enrolled, offline, on its way)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import update

from backend.shared.phone_link import check_link
from backend.shared.tokens import generate_signer, save_signer
from backend.station.db.models import OutboxEvent
from backend.station.db.session import write_transaction
from backend.station.services.issuing import IssueRequest, issue_certificate
from backend.station.services.phone_links import LinkContext, phone_link
from backend.station.sync.enrolment import Enrolment

from .conftest import NOW, StationDb

ENROLMENT = Enrolment(station_id="demo-station-1", station_code="S01", name="x", community_code="460107002001",
                      community_name={"zh": "桂林社区", "en": "Guilin"}, district_code="460107",
                      platform_url="https://yichuang.example", heartbeat_seconds=30, enrolled_at=NOW.isoformat())


def _issued(env: StationDb) -> str:
    request = IssueRequest(type_code="JZZM", purpose="school", idempotency_key="phone-link-0001")
    return issue_certificate(env.db, ctx=env.ctx, catalog=env.catalog, identity=env.identity("张三"),
                             request=request, now=NOW).id


def _sent(env: StationDb) -> None:
    with write_transaction(env.db) as session:
        session.execute(update(OutboxEvent).values(sent_at=NOW))


def test_no_link_before_enrolment_or_before_the_platform_has_the_certificate(station_db: StationDb) -> None:
    cid = _issued(station_db)
    keys_dir = station_db.keys.dir
    alone = phone_link(station_db.db, context=LinkContext(None, keys_dir, 0), certificate_id=cid, now=NOW)
    assert (alone["available"], alone["reason"], alone["url"]) == (False, "not_enrolled", None)
    assert "尚未接入" in alone["message"]["zh"] and "not connected" in alone["message"]["en"]
    on_its_way = phone_link(station_db.db, context=LinkContext(ENROLMENT, keys_dir, 0), certificate_id=cid,
                            now=NOW)
    assert (on_its_way["available"], on_its_way["reason"]) == (False, "syncing")
    offline = phone_link(station_db.db, context=LinkContext(ENROLMENT, keys_dir, 3), certificate_id=cid, now=NOW)
    assert (offline["available"], offline["reason"]) == (False, "offline")


def test_once_synced_the_link_is_signed_with_the_request_key(station_db: StationDb) -> None:
    cid = _issued(station_db)
    signer = generate_signer()
    save_signer(signer, station_db.keys.dir / "request.pem")
    _sent(station_db)
    link = phone_link(station_db.db, context=LinkContext(ENROLMENT, station_db.keys.dir, 0), certificate_id=cid,
                      now=NOW)
    assert link["available"] and link["reason"] is None
    split = urlsplit(link["url"])
    assert (split.scheme, split.netloc, split.path) == ("https", "yichuang.example", f"/c/{cid}")
    query = parse_qs(split.query)
    check_link(signer.public_key, certificate_id=cid, exp=query["exp"][0], sig=query["sig"][0], now=NOW)
