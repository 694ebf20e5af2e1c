"""Heartbeats, the offline sweep and alerts that resolve themselves, on a frozen clock."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from backend.platform.clock import FrozenClock
from backend.platform.db.fleet_models import Alert
from backend.platform.db.session import write_transaction
from backend.platform.live import InProcessLiveBus
from backend.platform.runtime import PlatformRuntime, build_runtime
from backend.platform.services import fleet_service, heartbeat, stations
from backend.platform.services.ingest import apply_batch
from backend.shared.protocol import EventBatch, Heartbeat, OutboxEventIn

from .conftest import COMMUNITY, enrolled


def _beat(runtime: PlatformRuntime, **fields: Any) -> list[dict[str, Any]]:
    printer = {"id": "printer", "kind": "receipt_printer", "state": "READY", "code": "OK"}
    body = {"station_id": "st-01", "sent_at": runtime.clock.now(), "version": "0.1.0", "uptime_seconds": 5,
            "service_state": "AVAILABLE", "components": [printer | fields.pop("printer", {})]} | fields
    with write_transaction(runtime.db) as session:
        return heartbeat.record_heartbeat(session, station_id="st-01",
                                          heartbeat=Heartbeat.model_validate(body), now=runtime.clock.now(),
                                          offline_after=runtime.settings.offline_after_seconds, depth_limit=500, age_limit=900)


def _alerts(runtime: PlatformRuntime) -> list[tuple[str, bool]]:
    with runtime.db() as session:
        return [(a.kind, a.resolved_at is None) for a in session.scalars(select(Alert).order_by(Alert.id))]


def _advance(runtime: PlatformRuntime, seconds: float) -> None:
    assert isinstance(runtime.clock, FrozenClock)
    runtime.clock.advance(seconds=seconds)


@pytest.mark.parametrize(("code", "kind"), [("MEDIA_EMPTY", "printer_paper_out"),
                                            ("MEDIA_JAMMED", "printer_jammed")])
def test_printer_alerts_open_and_resolve_with_the_printer(runtime: PlatformRuntime, code: str, kind: str) -> None:
    enrolled(runtime)
    notes = _beat(runtime, printer={"state": "UNAVAILABLE", "code": code})
    assert [n["type"] for n in notes if n["type"].startswith("alert")] == ["alert.opened"]
    _beat(runtime, printer={"state": "UNAVAILABLE", "code": code})  # still out: still one alert
    assert _alerts(runtime) == [(kind, True)]
    _beat(runtime)
    assert _alerts(runtime) == [(kind, False)]


def test_a_growing_outbox_opens_an_alert_by_depth_or_age(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _beat(runtime, outbox_depth=501)
    _beat(runtime, outbox_depth=3, outbox_oldest_age_seconds=1000)  # few, but old: still growing
    assert _alerts(runtime) == [("outbox_growing", True)]
    _beat(runtime, outbox_depth=0)
    assert _alerts(runtime) == [("outbox_growing", False)]


def test_silence_opens_the_offline_alert_once_and_a_heartbeat_resolves_it(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _beat(runtime)
    limit = runtime.settings.offline_after_seconds
    _advance(runtime, limit - 1)
    assert runtime.sweep_once() == []
    _advance(runtime, 2)
    assert [n["type"] for n in runtime.sweep_once()] == ["alert.opened", "station.state"]
    assert runtime.sweep_once() == []  # another worker's sweep (or the next one) adds nothing
    with runtime.db() as session:
        listed = fleet_service.list_stations(session, communities=[COMMUNITY], now=runtime.clock.now(), offline_after=limit)
    assert [(s["id"], s["online"], s["open_alerts"]) for s in listed] == [("st-01", False, 1)]
    notes = _beat(runtime)
    assert {"alert.resolved", "station.state"} <= {n["type"] for n in notes}
    assert _alerts(runtime) == [("station_offline", False)]


def test_a_station_enrolled_but_never_heard_from_goes_offline(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _advance(runtime, runtime.settings.offline_after_seconds + 1)
    runtime.sweep_once()
    assert _alerts(runtime) == [("station_offline", True)]


def test_the_platforms_own_outage_is_not_the_stations(runtime: PlatformRuntime) -> None:
    # The platform was down ten minutes (a restart, a failover) and starts again: its stations
    # were not silent, it could not hear them. They get the offline limit, counted from its start,
    # to beat again; one that does not is declared offline then, as any silent station is.
    enrolled(runtime)
    enrolled(runtime, "st-02", "S02")
    _beat(runtime)
    _advance(runtime, 600)
    restarted = build_runtime(runtime.settings, clock=runtime.clock, live=InProcessLiveBus())
    try:
        assert restarted.sweep_once() == []
        _advance(runtime, 30)
        _beat(runtime)  # st-01 is back; st-02 stays silent
        _advance(runtime, runtime.settings.offline_after_seconds - 30 + 1)
        opened = [n for n in restarted.sweep_once() if n["type"] == "station.state"]
        assert opened == [{"type": "station.state", "station_id": "st-02", "online": False}]
    finally:
        restarted.engine.dispose()


def test_heartbeats_keep_the_current_state_and_the_history(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _beat(runtime, paper_level="low", counters={"certificates": 3, "print_failures": 1})
    _advance(runtime, 30)
    _beat(runtime, service_state="SUSPENDED", service_reason="stocktaking")
    with runtime.db() as session:
        detail = fleet_service.station_detail(session, station=stations.get_station(session, "st-01"),
                                      now=runtime.clock.now(), offline_after=90)
        history = fleet_service.heartbeats(session, station_id="st-01", limit=10)
    assert (detail["online"], detail["service_state"], detail["service_reason"]) == (True, "SUSPENDED", "stocktaking")
    assert [c["id"] for c in detail["components"]] == ["printer"]
    assert [h["service_state"] for h in history] == ["SUSPENDED", "AVAILABLE"]
    assert history[1]["counters"]["certificates"] == 3


def _state(runtime: PlatformRuntime) -> tuple[Any, int, int]:
    with runtime.db() as session:
        detail = fleet_service.station_detail(session, station=stations.get_station(session, "st-01"),
                                      now=runtime.clock.now(), offline_after=90)
        history = fleet_service.heartbeats(session, station_id="st-01", limit=100)
    return detail, len(history), detail["counters"]["certificates"]


def test_an_unchanged_heartbeat_only_touches_the_state_and_history_keeps_every_change(
        runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _beat(runtime, counters={"certificates": 1})
    for n in range(2, 6):  # four quiet beats: the state moves on, no history row, nothing to tell
        _advance(runtime, 30)
        assert _beat(runtime, counters={"certificates": n}, uptime_seconds=30 * n) == []
    detail, rows, certificates = _state(runtime)
    assert (rows, certificates, detail["online"]) == (1, 5, True)
    _advance(runtime, 30)
    _beat(runtime, paper_level="low")  # a change is recorded at once
    assert _state(runtime)[1] == 2
    _advance(runtime, 11 * 60)  # and between changes, one row every ten minutes
    _beat(runtime, paper_level="low")
    assert _state(runtime)[1] == 3


def test_a_quiet_beat_after_silence_still_resolves_the_offline_alert(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _beat(runtime)
    _advance(runtime, 120)
    runtime.sweep_once()
    assert ("station_offline", True) in _alerts(runtime)
    _beat(runtime)  # the same heartbeat as before the silence
    assert ("station_offline", False) in _alerts(runtime)


def _event(runtime: PlatformRuntime, seq: int, code: str) -> None:
    event = OutboxEventIn(seq=seq, type="component.status", aggregate_id="printer", created_at=runtime.clock.now(),
                          payload={"id": "printer", "kind": "receipt_printer", "code": code,
                                   "state": "READY" if code == "OK" else "UNAVAILABLE"})
    with write_transaction(runtime.db) as session:
        apply_batch(session, station_id="st-01", batch=EventBatch(station_id="st-01", events=[event]),
                    now=runtime.clock.now())


def test_a_stale_event_after_a_newer_heartbeat_is_put_right_by_the_next_quiet_beat(
        runtime: PlatformRuntime) -> None:
    # The outbox drains behind the heartbeats: the paper is back (a beat says so), then the event
    # queued while it was out arrives. The next beat is the same as the last one, yet the alert
    # must resolve; a quiet beat that only touched the state left it open for good.
    enrolled(runtime)
    _beat(runtime, printer={"state": "UNAVAILABLE", "code": "MEDIA_EMPTY"})
    _beat(runtime)
    assert _alerts(runtime) == [("printer_paper_out", False)]
    _event(runtime, 1, "MEDIA_EMPTY")
    assert ("printer_paper_out", True) in _alerts(runtime)
    _advance(runtime, 1)
    _beat(runtime)
    assert [kind for kind, open_ in _alerts(runtime) if open_] == []
