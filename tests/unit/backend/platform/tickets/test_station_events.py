"""Station events about tickets: ticket.submitted files a ticket once, checked again on arrival;
rating.submitted rates a closed ticket or a printed certificate anonymously; every change goes
back down to the community's stations as a "ticket" change."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import select

from backend.platform.db.area_models import ChangeRecord, StationEvent
from backend.platform.db.ticket_models import ServiceRating, Ticket, TicketPhoto, TicketTransition
from backend.platform.runtime import PlatformRuntime
from backend.shared.tickets.workflow import Classify, Close, Dispatch, Reply, Sign

from .conftest import COMMUNITY, GRID_1, act, actor, apply_events, number, submitted, ticket

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"


def _outcomes(runtime: PlatformRuntime) -> list[tuple[int, str, str]]:
    with runtime.db() as session:
        return [(e.seq, e.outcome, e.reason) for e in session.scalars(select(StationEvent).order_by(StationEvent.seq))]


def _changes(runtime: PlatformRuntime, key: str) -> list[dict[str, Any]]:
    with runtime.db() as session:
        return [c.payload | {"_scope": c.scope} for c in session.scalars(
            select(ChangeRecord).where(ChangeRecord.kind == "ticket", ChangeRecord.key == key)
            .order_by(ChangeRecord.cursor))]


def test_a_submitted_ticket_is_filed_once_and_its_status_goes_down(runtime: PlatformRuntime, station: str) -> None:
    photo = base64.b64encode(JPEG).decode()
    ack = apply_events(runtime, [("ticket.submitted", submitted(1, photo_jpeg=photo)),
                                 ("ticket.submitted", submitted(1))])  # the same ticket under a new seq
    assert ack.acked_seq == 2 and not ack.rejected
    filed = ticket(runtime, number(1))
    assert (filed.state, filed.category, filed.station_id, filed.resident_name) == (
        "received", "property_repairs", "st-01", "张三")
    assert filed.suggestion["grade"] == "normal" and filed.reply_due is not None and filed.has_photo
    with runtime.db() as session:
        assert session.get(TicketPhoto, number(1)).jpeg == JPEG  # type: ignore[union-attr]
        assert len(list(session.scalars(select(Ticket)))) == 1
    (change,) = _changes(runtime, number(1))
    assert change["_scope"] == f"community:{COMMUNITY}" and change["state"] == "received"
    assert change["owner_hash"] == "a" * 64
    assert [h["words"]["zh"] for h in change["history"]] == ["您的诉求已提交"]


@pytest.mark.parametrize(("payload", "reason"), [
    (submitted(2, ticket_no=f"GD-261126-{COMMUNITY}-S02-0002"), "ticket number not of this station"),
    (submitted(3, ticket_no="GD-261126-460107009009-S01-0003"), "ticket number not of this station"),
    (submitted(4, ticket_no="not-a-number"), "ticket number not of this station"),
    (submitted(5, chosen_category="weather"), "unknown category"),
    (submitted(6, anonymous=True, resident=None), "anonymous filing not allowed for this category"),
    (submitted(7, anonymous=False, resident=None), "anonymous filing not allowed for this category"),
    (submitted(8, description="bell\x07"), "ticket.bad_text"),
    (submitted(9, description=""), "ticket.description_empty"),
    (submitted(10, place={"kind": "moon"}), "payload not valid: ('place', 'kind')"),
    (submitted(11, surprise=True), "payload not valid: ('surprise',)"),
])
def test_a_station_is_not_trusted_blindly(runtime: PlatformRuntime, station: str, payload: dict[str, Any],
                                          reason: str) -> None:
    ack = apply_events(runtime, [("ticket.submitted", payload)])
    assert [r.reason for r in ack.rejected] == [reason]
    with runtime.db() as session:
        assert session.scalar(select(Ticket)) is None


def test_an_anonymous_ticket_where_allowed_and_a_bad_photo_is_dropped(runtime: PlatformRuntime,
                                                                      station: str) -> None:
    payload = submitted(12, category="safety_hazard", chosen_category="safety_hazard", anonymous=True,
                        resident=None, phone_masked="", description="楼道闻到燃气味",
                        photo_jpeg=base64.b64encode(b"GIF89a not a jpeg").decode())
    assert not apply_events(runtime, [("ticket.submitted", payload)]).rejected
    filed = ticket(runtime, number(12))
    assert filed.anonymous and filed.resident_id_hash is None and not filed.has_photo
    assert filed.suggestion["grade"] == "urgent"  # 燃气味: the clock runs for two hours
    assert (filed.reply_due - filed.received_at).total_seconds() == 2 * 3600  # type: ignore[operator]
    with runtime.db() as session:
        (step,) = session.scalars(select(TicketTransition).where(TicketTransition.ticket_no == number(12)))
        assert step.actor == "anonymous resident"


def _closed(runtime: PlatformRuntime, n: int) -> str:
    apply_events(runtime, [("ticket.submitted", submitted(n))], first_seq=n * 10)
    community, grid = actor(runtime, COMMUNITY), actor(runtime, GRID_1)
    for who, command in [(community, Classify("property_repairs", "normal")),
                         (community, Dispatch(GRID_1, "", "grid_worker")), (grid, Sign()),
                         (grid, Reply("已更换水管")), (community, Close("resolved"))]:
        act(runtime, who, number(n), command)
    return number(n)


def test_a_rating_from_the_kiosk_is_anonymous_and_a_bad_one_reopens(runtime: PlatformRuntime,
                                                                    station: str) -> None:
    ticket_no = _closed(runtime, 20)
    rating = {"target_kind": "ticket", "target_id": ticket_no, "level": 2, "reasons": ["slow"],
              "follow_up": False, "rated_at": runtime.clock.now().isoformat()}
    assert not apply_events(runtime, [("rating.submitted", rating)], first_seq=300).rejected
    assert ticket(runtime, ticket_no).state == "rectifying"
    with runtime.db() as session:
        (stored,) = session.scalars(select(ServiceRating))
        assert (stored.level, stored.unit, stored.channel, stored.follow_up) == (2, GRID_1, "kiosk", False)
        columns = set(ServiceRating.__table__.columns.keys())
        assert not columns & {"resident_id_hash", "resident_name", "id_hash", "name", "phone"}
    (last,) = _changes(runtime, ticket_no)  # each status supersedes the ticket's earlier ones
    assert last["state"] == "rectifying" and last["follow_up"] and not last["can_rate"]
    assert [h["action"] for h in last["history"]] == ["submit", "classify", "dispatch", "sign", "reply", "close",
                                                      "rate"]
    again = apply_events(runtime, [("rating.submitted", rating)], first_seq=301)
    assert [r.reason for r in again.rejected] == ["ticket.not_closed"]


def test_ratings_of_open_or_foreign_tickets_are_refused(runtime: PlatformRuntime, station: str) -> None:
    apply_events(runtime, [("ticket.submitted", submitted(30))])
    rating = {"target_kind": "ticket", "target_id": number(30), "level": 5, "rated_at": "2026-11-26T08:00:00+00:00"}
    ghost = rating | {"target_id": number(31)}
    bad = rating | {"level": 6}
    ack = apply_events(runtime, [("rating.submitted", rating), ("rating.submitted", ghost),
                                 ("rating.submitted", bad)], first_seq=2)
    assert [r.reason for r in ack.rejected] == [
        "ticket.not_closed", "no such ticket in this station's community", "payload not valid: ('level',)"]


def test_a_certificate_is_rated_once(runtime: PlatformRuntime, station: str) -> None:
    issued = {"id": "cert-1", "serial": "2026-S01-000001", "identifier": "1.2.156.X.cert-1", "type_code": "JZZM",
              "holder_id_masked": "4601*************2", "purpose": "school",
              "issued_at": "2026-11-26T08:00:00+00:00", "expires_at": "2027-02-24T08:00:00+00:00"}
    rating = {"target_kind": "certificate", "target_id": "cert-1", "level": 5, "reasons": ["easy"],
              "rated_at": "2026-11-26T08:01:00+00:00", "type_code": "JZZM"}
    ack = apply_events(runtime, [("certificate.issued", issued), ("rating.submitted", rating),
                                 ("rating.submitted", rating), ("rating.submitted", rating | {"target_id": "x"})])
    assert [r.reason for r in ack.rejected] == ["certificate already rated", "no such certificate of this station"]
    with runtime.db() as session:
        (stored,) = session.scalars(select(ServiceRating))
        assert (stored.target_kind, stored.category, stored.level) == ("certificate", "JZZM", 5)
