"""Rollouts on the platform (SQLite and PostgreSQL): a signed bundle is kept, a rollout to an area
offers it to the canary first, the rest once the canary reports update.done; a failed canary pauses
it with the reason; pause, resume and abort; versions counted for /metrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import ingest, rollouts
from backend.shared.errors import AppError
from backend.shared.protocol import EventBatch, OutboxEventIn
from backend.shared.tokens.keyfiles import generate_signer
from support.update_rig import make_bundle

from .conftest import COMMUNITY, enrolled

STATIONS = ["st-01", "st-02", "st-03", "st-04"]


def _upload(runtime: PlatformRuntime, tmp_path: Path, **kwargs) -> str:
    bundle = make_bundle(tmp_path, generate_signer(), **kwargs)
    with write_transaction(runtime.db) as session:
        release = rollouts.store_release(session, data_dir=runtime.settings.data_dir, upload=bundle, trusted=None,
                                         by="admin", now=runtime.clock.now())
        return release.version


def _fleet(runtime: PlatformRuntime) -> None:
    for number, station_id in enumerate(STATIONS, 1):
        enrolled(runtime, station_id, f"S0{number}")


def _start(runtime: PlatformRuntime, version: str, **kwargs) -> int:
    options = {"area_code": COMMUNITY, "station_ids": [], "canary_percent": 25, "canary_stations": [],
               "window": ("02:00", "05:00"), "rollback": False} | kwargs
    with write_transaction(runtime.db) as session:
        rollout = rollouts.start_rollout(session, version=version, visible=[COMMUNITY], by="admin",
                                         now=runtime.clock.now(), **options)
        return rollout.id


def _offers(runtime: PlatformRuntime, running: str = "1.0.0") -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    with write_transaction(runtime.db) as session:
        for station_id in STATIONS:
            offer = rollouts.offer_for(session, station_id=station_id, version=running, now=runtime.clock.now())
            found[station_id] = offer["version"] if offer else None
    return found


def _report(runtime: PlatformRuntime, station_id: str, seq: int, kind: str, **payload) -> None:
    event = OutboxEventIn(seq=seq, type=kind, aggregate_id="u", payload=payload, created_at=runtime.clock.now())
    with write_transaction(runtime.db) as session:
        ack, _ = ingest.apply_batch(session, station_id=station_id, batch=EventBatch(station_id=station_id,
                                                                                     events=[event]),
                                    now=runtime.clock.now())
    assert not ack.rejected, ack.rejected


def _view(runtime: PlatformRuntime, rollout_id: int) -> dict:
    with runtime.db() as session:
        return rollouts.rollout_view(session, rollouts.get_rollout(session, rollout_id), detail=True)


def test_canary_first_then_the_rest_and_progress_by_area(runtime: PlatformRuntime, tmp_path: Path) -> None:
    _fleet(runtime)
    version = _upload(runtime, tmp_path)
    assert (runtime.settings.data_dir / "releases" / f"kiosk-{version}.tar").exists()
    rollout_id = _start(runtime, version)
    offered = {s for s, v in _offers(runtime).items() if v}
    view = _view(runtime, rollout_id)
    assert offered == set(view["canaries"]) and len(offered) == 1 and view["state"] == "canary"
    canary = offered.pop()
    _report(runtime, canary, 1, "update.done", rollout_id=rollout_id, version=version, seconds=41.5)
    assert _view(runtime, rollout_id)["state"] == "rolling"
    assert {s for s, v in _offers(runtime).items() if v} == set(STATIONS) - {canary}
    for seq, station_id in enumerate(sorted(set(STATIONS) - {canary}), 1):
        _report(runtime, station_id, seq, "update.done", rollout_id=rollout_id, version=version)
    view = _view(runtime, rollout_id)
    assert view["state"] == "finished" and view["by_state"] == {"done": 4}
    assert view["by_area"] == [{"community_code": COMMUNITY, "name": view["by_area"][0]["name"], "total": 4,
                                "done": 4, "failed": 0, "waiting": 0}]


def test_a_failed_canary_pauses_the_rollout_with_its_reason(runtime: PlatformRuntime, tmp_path: Path) -> None:
    _fleet(runtime)
    version = _upload(runtime, tmp_path)
    rollout_id = _start(runtime, version, canary_stations=["st-02"])
    assert _offers(runtime) == {"st-01": None, "st-02": version, "st-03": None, "st-04": None}
    _report(runtime, "st-02", 1, "update.failed", rollout_id=rollout_id, version=version,
            code="update.health_failed", reason="health check failed within 120 s: platform not reached")
    view = _view(runtime, rollout_id)
    assert view["state"] == "paused" and "st-02" in view["note"]
    assert view["failures"][0]["code"] == "update.health_failed"
    assert "platform not reached" in view["failures"][0]["reason"]
    assert not any(_offers(runtime).values())
    with write_transaction(runtime.db) as session:
        rollouts.control(session, rollouts.get_rollout(session, rollout_id), "abort", now=runtime.clock.now())
    assert _view(runtime, rollout_id)["by_state"] == {"failed": 1, "aborted": 3}
    with write_transaction(runtime.db) as session, pytest.raises(AppError) as caught:
        rollouts.control(session, rollouts.get_rollout(session, rollout_id), "resume", now=runtime.clock.now())
    assert caught.value.code == "rollout.state"


def test_pause_and_resume_and_no_overlapping_rollouts(runtime: PlatformRuntime, tmp_path: Path) -> None:
    _fleet(runtime)
    version = _upload(runtime, tmp_path)
    rollout_id = _start(runtime, version, canary_percent=0, station_ids=["st-01", "st-03"], area_code=None)
    assert _offers(runtime) == {"st-01": version, "st-02": None, "st-03": version, "st-04": None}
    with write_transaction(runtime.db) as session:
        rollouts.control(session, rollouts.get_rollout(session, rollout_id), "pause", now=runtime.clock.now())
    assert not any(_offers(runtime).values())
    with pytest.raises(AppError) as caught:
        _start(runtime, version, station_ids=["st-03"], area_code=None)
    assert caught.value.code == "rollout.overlap"
    with write_transaction(runtime.db) as session:
        rollouts.control(session, rollouts.get_rollout(session, rollout_id), "resume", now=runtime.clock.now())
    assert _offers(runtime)["st-01"] == version
    assert _offers(runtime, running=version)["st-01"] is None  # already there: done
    assert _view(runtime, rollout_id)["by_state"] == {"done": 2}


def test_an_unsigned_or_tampered_upload_is_refused(runtime: PlatformRuntime, tmp_path: Path) -> None:
    for kwargs, code in (({"signer": None}, "release.unsigned"), ({"tamper": True}, "release.tampered")):
        signer = kwargs.pop("signer", generate_signer())
        bundle = make_bundle(tmp_path, signer, **kwargs)
        with write_transaction(runtime.db) as session, pytest.raises(AppError) as caught:
            rollouts.store_release(session, data_dir=runtime.settings.data_dir, upload=bundle, trusted=None,
                                   by="admin", now=runtime.clock.now())
        assert caught.value.code == code


def test_station_versions_are_counted(runtime: PlatformRuntime) -> None:
    _fleet(runtime)
    from backend.platform.db.fleet_models import StationState
    with write_transaction(runtime.db) as session:
        for station_id, version in zip(STATIONS, ["1.0.0", "1.0.0", "1.1.0", ""], strict=True):
            state = session.get(StationState, station_id)
            assert state is not None
            state.version = version
    with runtime.db() as session:
        assert rollouts.station_versions(session) == {"1.0.0": 2, "1.1.0": 1, "unknown": 1}
