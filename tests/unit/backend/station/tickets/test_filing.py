"""Filing requests at the station: checked input, one transaction with the outbox event, a sealed
phone number, numbers per day, idempotent retries; the platform's statuses; anonymous ratings."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PIL import Image
from sqlalchemy import func, select

from backend.shared.errors import AppError
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.contact import ContactOpener, ContactSealer, public_bytes
from backend.shared.tickets.messages import PlaceIn
from backend.station.db.models import OutboxEvent
from backend.station.db.ticket_models import LocalRating, LocalTicket, LocalTicketPhoto
from backend.station.services import ratings
from backend.station.services.tickets import (
    TicketDesk,
    TicketDraft,
    apply_status,
    owned_by,
    places,
    submit_ticket,
)

from ..conftest import NOW, StationDb

PLATFORM = ContactOpener(X25519PrivateKey.generate())  # the platform opens what stations seal
SEALER = ContactSealer(public_bytes(PLATFORM.public_key))
DESK = TicketDesk(load_ticket_config(), "460107002001", "S01", SEALER)
BUILDING = PlaceIn(kind="building", building="3", unit="2")


def draft(**changes: Any) -> TicketDraft:
    values: dict[str, Any] = {"category": "property_repairs", "place": BUILDING, "idempotency_key": "key-00000001",
                              "phrases": ("water_leak",), "text": "厨房水槽下面", "phone": "138 1234 5678"}
    return TicketDraft(**(values | changes))


def _outbox(station_db: StationDb) -> list[OutboxEvent]:
    with station_db.db() as session:
        return list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)))


def _jpeg(exif: bool = True) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (2000, 1500), (200, 80, 40))
    info = Image.Exif()
    info[0x010F] = "CameraMaker"  # Make
    image.save(out, format="JPEG", exif=info.tobytes() if exif else b"")
    return out.getvalue()


def test_an_identified_request_is_filed_with_its_outbox_event(station_db: StationDb) -> None:
    identity = station_db.identity("张三")
    ticket = submit_ticket(station_db.db, desk=DESK, identity=identity, draft=draft(photo=_jpeg()), now=NOW)
    assert ticket.ticket_no == "GD-261126-460107002001-S01-0001"
    assert (ticket.state, ticket.owner_hash, ticket.phone_masked) == ("pending", identity.id_hash, "138****5678")
    assert ticket.description == "水管漏水；厨房水槽下面"
    assert ticket.expected_reply_at == datetime(2026, 12, 3, 10, tzinfo=UTC)  # 5 working days, 18:00 Beijing
    (event,) = _outbox(station_db)
    assert (event.event_type, event.aggregate_id) == ("ticket.submitted", ticket.ticket_no)
    payload = event.payload
    assert payload["resident"] == {"id_hash": identity.id_hash, "id_masked": identity.id_masked, "name": "张三"}
    assert "13812345678" not in str(payload) and PLATFORM.open(payload["contact_sealed"]) == {"phone": "13812345678"}
    photo = base64.b64decode(payload["photo_jpeg"])
    with Image.open(io.BytesIO(photo)) as image:
        assert image.format == "JPEG" and max(image.size) == 1280 and not image.getexif()
    with station_db.db() as session:
        assert session.get(LocalTicketPhoto, ticket.ticket_no).jpeg == photo  # type: ignore[union-attr]
        apply_status(session, _status(ticket.ticket_no, "received"), now=NOW)  # the platform has it now
        session.commit()
        assert session.get(LocalTicketPhoto, ticket.ticket_no) is None
    second = submit_ticket(station_db.db, desk=DESK, identity=identity, draft=draft(idempotency_key="key-00000002"),
                           now=NOW)
    assert second.ticket_no.endswith("-0002")


def test_a_retry_returns_the_same_ticket_and_a_changed_one_is_refused(station_db: StationDb) -> None:
    identity = station_db.identity("张三")
    first = submit_ticket(station_db.db, desk=DESK, identity=identity, draft=draft(), now=NOW)
    again = submit_ticket(station_db.db, desk=DESK, identity=identity, draft=draft(), now=NOW)
    assert again.ticket_no == first.ticket_no and len(_outbox(station_db)) == 1
    with pytest.raises(AppError) as conflict:
        submit_ticket(station_db.db, desk=DESK, identity=identity, draft=draft(text="别的事"), now=NOW)
    assert conflict.value.code == "ticket.idempotency_conflict"


def test_anonymous_where_the_category_allows(station_db: StationDb) -> None:
    hazard = draft(category="safety_hazard", phrases=("gas_smell",), text="", phone="", anonymous=True,
                   place=PlaceIn(kind="public", landmark="north_gate"))
    ticket = submit_ticket(station_db.db, desk=DESK, identity=station_db.identity("张三"), draft=hazard, now=NOW)
    assert ticket.anonymous and ticket.owner_hash is None and ticket.phone_sealed is None
    assert ticket.suggested_grade == "urgent"
    assert ticket.expected_reply_at == NOW + timedelta(hours=2)
    (event,) = _outbox(station_db)
    assert event.payload["resident"] is None and event.payload["anonymous"] is True


@pytest.mark.parametrize(("changes", "code"), [
    ({"category": "weather"}, "ticket.unknown_category"),
    ({"anonymous": True}, "ticket.anonymous_not_allowed"),  # property repairs need the resident
    ({"phrases": (), "text": ""}, "ticket.description_empty"),
    ({"phrases": (), "text": "   "}, "ticket.description_empty"),
    ({"text": "漏" * 501}, "ticket.description_too_long"),
    ({"text": "漏水\x1b[2J"}, "ticket.bad_text"),
    ({"text": "漏水\u202e"}, "ticket.bad_text"),
    ({"phrases": ("gas_smell",)}, "ticket.bad_phrase"),  # a phrase of another category
    ({"phone": "12345"}, "ticket.bad_phone"),
    ({"phone": ""}, "ticket.bad_phone"),  # needed to reach an identified resident
    ({"place": PlaceIn(kind="building", building="4")}, "ticket.bad_place"),  # not in the register
    ({"place": PlaceIn(kind="building", building="3", unit="9")}, "ticket.bad_place"),
    ({"place": PlaceIn(kind="public", landmark="moon")}, "ticket.bad_place"),
    ({"place": PlaceIn(kind="address", building="和平街1号")}, "ticket.bad_place"),
    ({"photo": b"GIF89a..."}, "ticket.bad_photo"),
    ({"photo": b"\xff\xd8\xff" + b"\x00" * 10}, "ticket.bad_photo"),
])
def test_bad_input_changes_nothing(station_db: StationDb, changes: dict[str, Any], code: str) -> None:
    with pytest.raises(AppError) as refused:
        submit_ticket(station_db.db, desk=DESK, identity=station_db.identity("张三"), draft=draft(**changes), now=NOW)
    assert refused.value.code == code
    assert _outbox(station_db) == []
    with station_db.db() as session:
        assert session.scalar(select(func.count()).select_from(LocalTicket)) == 0


def test_html_is_kept_as_text(station_db: StationDb) -> None:
    ticket = submit_ticket(station_db.db, desk=DESK, identity=station_db.identity("张三"),
                           draft=draft(text="<script>alert('x')</script>"), now=NOW)
    assert ticket.description == "水管漏水；<script>alert('x')</script>"


def test_places_come_from_the_register_and_the_landmarks(station_db: StationDb) -> None:
    with station_db.db() as session:
        found = places(session, DESK)
    assert [(b["building"], b["units"]) for b in found["buildings"]] == [
        ("1", ["1"]), ("2", ["2"]), ("3", ["2"]), ("5", ["1"]), ("7", ["3"]), ("9", ["1", "2"]), ("11", ["1"])]
    assert [m["code"] for m in found["public"]["landmarks"]][:2] == ["north_gate", "south_gate"]


def _status(ticket_no: str, state: str, **changes: Any) -> dict[str, Any]:
    return {"ticket_no": ticket_no, "state": state, "status_words": {"zh": "已办结", "en": "Closed"},
            "category": "property_repairs", "history": [{"at": NOW.isoformat(), "action": "submit",
                                                         "state": "received", "words": {"zh": "已提交", "en": "x"}}],
            "updated_at": NOW.isoformat(), "can_rate": state == "closed", **changes}


def test_statuses_from_the_platform_and_ratings(station_db: StationDb) -> None:
    identity = station_db.identity("张三")
    ticket = submit_ticket(station_db.db, desk=DESK, identity=identity, draft=draft(), now=NOW)
    config = load_ticket_config()
    with pytest.raises(AppError) as early:
        ratings.rate_ticket(station_db.db, ticket_no=ticket.ticket_no, level=5, reasons=[], config=config, now=NOW)
    assert early.value.code == "ticket.not_closed"
    with station_db.db() as session:
        apply_status(session, {"ticket_no": ticket.ticket_no, "state": "closed"}, now=NOW)  # malformed: ignored
        assert session.get(LocalTicket, ticket.ticket_no).state == "pending"  # type: ignore[union-attr]
        apply_status(session, _status(ticket.ticket_no, "closed"), now=NOW)
        apply_status(session, _status("GD-261126-460107002001-S02-0001", "in_progress", owner_hash=identity.id_hash),
                     now=NOW)  # filed at another station of the community
        session.commit()
        assert [t.ticket_no for t in owned_by(session, identity.id_hash)] == [
            ticket.ticket_no, "GD-261126-460107002001-S02-0001"]
    for level, reasons, code in [(0, [], "ticket.bad_rating"), (5, ["nonsense"], "ticket.bad_reason")]:
        with pytest.raises(AppError) as bad:
            ratings.rate_ticket(station_db.db, ticket_no=ticket.ticket_no, level=level, reasons=reasons,
                                config=config, now=NOW)
        assert bad.value.code == code
    ratings.rate_ticket(station_db.db, ticket_no=ticket.ticket_no, level=2, reasons=["slow"], config=config, now=NOW)
    with pytest.raises(AppError) as twice:
        ratings.rate_ticket(station_db.db, ticket_no=ticket.ticket_no, level=5, reasons=[], config=config, now=NOW)
    assert twice.value.code == "ticket.already_rated"
    event = _outbox(station_db)[-1]
    assert event.event_type == "rating.submitted"
    assert event.payload == {"target_kind": "ticket", "target_id": ticket.ticket_no, "level": 2, "reasons": ["slow"],
                             "follow_up": False, "rated_at": "2026-11-26T06:00:00Z", "type_code": ""}  # nobody named
    with station_db.db() as session:  # rectified and closed again: one follow-up rating
        apply_status(session, _status(ticket.ticket_no, "closed", follow_up=True), now=NOW)
        session.commit()
    follow_up = ratings.rate_ticket(station_db.db, ticket_no=ticket.ticket_no, level=4, reasons=[], config=config,
                                    now=NOW)
    assert follow_up.follow_up
    with pytest.raises(AppError) as done:
        ratings.rate_ticket(station_db.db, ticket_no=ticket.ticket_no, level=4, reasons=[], config=config, now=NOW)
    assert done.value.code == "ticket.already_rated"
    with station_db.db() as session:
        assert session.scalar(select(func.count()).select_from(LocalRating)) == 2
