"""Applying outbox batches exactly once: duplicates, gaps, late events, refusals, concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from backend.platform.db.area_models import Station, StationEvent, SyncGap
from backend.platform.db.certificate_models import CertificateRecord
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.ingest import apply_batch
from backend.shared.protocol import BatchAck, EventBatch, OutboxEventIn

from .conftest import NOW, enrolled


def _issued(seq: int, station_code: str = "S01", cid: str | None = None) -> OutboxEventIn:
    cid = cid or f"cert-{station_code}-{seq:04d}"
    return OutboxEventIn(seq=seq, type="certificate.issued", aggregate_id=cid, created_at=NOW, payload={
        "id": cid, "serial": f"2026-{station_code}-{seq:06d}", "identifier": f"1.2.156.3005.2.JZZM.X.{cid}",
        "type_code": "JZZM", "holder_id_masked": "4601*************2", "purpose": "school",
        "issued_at": NOW.isoformat(), "expires_at": (NOW + timedelta(days=90)).isoformat()})


def _apply(runtime: PlatformRuntime, events: list[OutboxEventIn], station: str = "st-01") -> BatchAck:
    with write_transaction(runtime.db) as session:
        ack, _notes = apply_batch(session, station_id=station, batch=EventBatch(station_id=station,
                                                                               events=events), now=NOW)
    return ack


def _count(runtime: PlatformRuntime, model: Any) -> int:
    with runtime.db() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_batch_applies_in_order_and_a_resent_one_applies_nothing(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    batch = [_issued(n) for n in (3, 1, 2)]
    first = _apply(runtime, batch)
    assert (first.acked_seq, first.applied, first.duplicates, first.gaps) == (3, 3, 0, [])
    again = _apply(runtime, batch)  # the acknowledgement was lost; the station sends it again
    assert (again.acked_seq, again.applied, again.duplicates) == (3, 0, 3)
    assert _count(runtime, CertificateRecord) == 3 and _count(runtime, StationEvent) == 3
    with runtime.db() as session:
        station = session.get(Station, "st-01")
        assert station is not None and (station.events_applied, station.duplicates) == (3, 3)


def test_a_gap_is_applied_and_recorded_and_a_late_event_fills_it(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    ack = _apply(runtime, [_issued(1), _issued(4)])
    assert (ack.acked_seq, ack.applied, ack.gaps) == (4, 2, [(2, 3)])
    late = _apply(runtime, [_issued(2), _issued(4)])
    assert (late.applied, late.duplicates, late.acked_seq) == (1, 1, 4)
    with runtime.db() as session:
        assert sorted(session.scalars(select(StationEvent.seq))) == [1, 2, 4]
        assert session.scalar(select(func.count()).select_from(SyncGap)) == 1


def test_enrolment_starts_the_sequence_where_the_station_is(runtime: PlatformRuntime) -> None:
    enrolled(runtime, outbox_start=57)  # the station used its outbox before enrolling
    ack = _apply(runtime, [_issued(57)])
    assert (ack.acked_seq, ack.gaps) == (57, [])


def test_records_of_another_station_are_refused_and_the_batch_goes_on(runtime: PlatformRuntime) -> None:
    enrolled(runtime, "st-01", "S01")
    enrolled(runtime, "st-02", "S02")
    _apply(runtime, [_issued(1, "S02", cid="theirs")], station="st-02")
    printed = OutboxEventIn(seq=2, type="certificate.printed", aggregate_id="theirs", created_at=NOW,
                            payload={"id": "theirs", "print_count": 5})
    unknown = OutboxEventIn(seq=3, type="rating.given", aggregate_id="r1", created_at=NOW, payload={})
    ack = _apply(runtime, [_issued(1, "S02", cid="mine"), printed, unknown], station="st-01")
    assert ack.acked_seq == 3 and ack.applied == 3
    assert [(r.seq, r.reason) for r in ack.rejected] == [
        (1, "serial not of this station's code"), (2, "certificate belongs to another station")]
    with runtime.db() as session:
        theirs = session.get(CertificateRecord, "theirs")
        assert theirs is not None and (theirs.station_id, theirs.print_count) == ("st-02", 0)
        outcomes = {seq: outcome for seq, outcome in session.execute(
            select(StationEvent.seq, StationEvent.outcome).where(StationEvent.station_id == "st-01")).all()}
    assert outcomes == {1: "rejected", 2: "rejected", 3: "ignored"}  # kept for a later applier


def test_the_same_batch_sent_twice_at_once_applies_once(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    batch = [_issued(n) for n in range(1, 41)]
    acks: list[BatchAck] = []
    threads = [threading.Thread(target=lambda: acks.append(_apply(runtime, batch))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(a.applied for a in acks) == [0, 40]
    assert sorted(a.duplicates for a in acks) == [0, 40]
    assert _count(runtime, CertificateRecord) == 40


def test_print_failures_in_a_row_open_an_alert_that_a_print_resolves(runtime: PlatformRuntime) -> None:
    from backend.platform.services.alerts import PRINTING, open_alert

    enrolled(runtime)
    _apply(runtime, [_issued(1)])

    def outcome(seq: int, kind: str) -> OutboxEventIn:
        return OutboxEventIn(seq=seq, type=f"certificate.{kind}", aggregate_id="cert-S01-0001", created_at=NOW,
                             payload={"id": "cert-S01-0001", "error_code": "printer.media_empty",
                                      "print_count": 1})

    _apply(runtime, [outcome(2, "print_failed")])
    with runtime.db() as session:
        assert open_alert(session, "st-01", PRINTING) is None
    _apply(runtime, [outcome(3, "print_failed")])
    with runtime.db() as session:
        assert open_alert(session, "st-01", PRINTING) is not None
    _apply(runtime, [outcome(4, "printed")])
    with runtime.db() as session:
        assert open_alert(session, "st-01", PRINTING) is None
        record = session.get(CertificateRecord, "cert-S01-0001")
        assert record is not None and (record.state, record.print_failures, record.print_count) == ("printed", 2, 1)


def test_a_certificate_issued_and_printed_in_one_batch_is_registered_once(runtime: PlatformRuntime) -> None:
    # New certificates of a batch are inserted together; what reads them later in the batch sees them.
    enrolled(runtime)
    printed = OutboxEventIn(seq=3, type="certificate.printed", aggregate_id="cert-S01-0001", created_at=NOW,
                            payload={"id": "cert-S01-0001", "print_count": 1})
    again = _issued(4, cid="cert-S01-0001")  # the same certificate reported twice: nothing new
    reused = _issued(5, cid="other")
    reused.payload["identifier"] = _issued(2).payload["identifier"]
    ack = _apply(runtime, [_issued(1), _issued(2), printed, again, reused, _issued(6)])
    assert (ack.acked_seq, ack.applied) == (6, 6)
    assert [(r.seq, r.reason) for r in ack.rejected] == [(5, "identifier already registered")]
    assert _count(runtime, CertificateRecord) == 3 and _count(runtime, StationEvent) == 6
    with runtime.db() as session:
        record = session.get(CertificateRecord, "cert-S01-0001")
        assert record is not None and (record.state, record.print_count) == ("printed", 1)
