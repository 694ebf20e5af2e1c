"""The sync worker's own duties: a rotated certificate key reaches the platform once."""

from __future__ import annotations

from typing import Any

from backend.station.runtime import StationRuntime
from backend.station.sync.enrolment import Enrolment
from backend.station.sync.worker import SyncWorker

ENROLMENT = Enrolment(station_id="st-01", station_code="S01", name="x", community_code="460107002001",
                      community_name={"zh": "桂林社区", "en": "Guilin"}, district_code="460107",
                      platform_url="http://platform", heartbeat_seconds=30, enrolled_at="2026-11-26")


class Platform:
    station_id = "st-01"

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []

    def put_keys(self, jwks: dict[str, Any]) -> None:
        self.keys.append(jwks)

    def close(self) -> None:
        pass


def test_a_rotated_key_is_sent_once(runtime: StationRuntime) -> None:
    platform = Platform()
    worker = SyncWorker(runtime, ENROLMENT, client=platform)  # type: ignore[arg-type]
    worker._remember_keys(runtime.keys.jwks())  # as enrolment does
    worker._send_keys_if_rotated()
    assert platform.keys == []
    runtime.keys.rotate()
    worker._send_keys_if_rotated()
    worker._send_keys_if_rotated()
    assert [len(k["keys"]) for k in platform.keys] == [2]  # the new key and the old one, still trusted
