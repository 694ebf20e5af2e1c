"""Store and forward against real processes: whatever happens to the platform, the network or
the station, every outbox event reaches the platform exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support.platform_stack import Kiosk, Platform, enrolled_kiosk
from support.proxy import DROP, HOLD, PASS, REFUSE, Proxy
from support.stack import poll


def _assert_exactly_once(platform: Platform, machine: Kiosk, certificates: list[dict[str, Any]]) -> None:
    """Every event the station wrote is on the platform once, in seq order; the outbox is empty."""
    poll(lambda: machine.outbox_depth() == 0, "the outbox to drain", timeout=30)

    def settled() -> list[dict[str, Any]] | None:
        """The events, once the platform's high-water mark (last_applied_seq) is their last: read
        together, as a restarted station keeps reporting device states meanwhile."""
        events = platform.events(machine.station_id)
        applied = platform.station(machine.station_id)["last_applied_seq"]
        return events if events and events[-1]["seq"] == applied else None

    events = poll(settled, "the platform to settle on the last event it applied", timeout=30)
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # no gap, no duplicate
    issued = [e["aggregate_id"] for e in events if e["type"] == "certificate.issued"]
    assert sorted(issued) == sorted(c["id"] for c in certificates)
    assert all(e["outcome"] == "applied" for e in events), [e for e in events if e["outcome"] != "applied"]
    with platform.staff() as staff:
        registered = staff.get(f"/api/staff/stations/{machine.station_id}/certificates").json()
    assert sorted(c["serial"] for c in registered) == sorted(c["serial"] for c in certificates)


def test_platform_down_while_certificates_are_issued(platform: Platform, station_dir: Path) -> None:
    with enrolled_kiosk(platform, station_dir, "down-01", "S11") as machine:
        machine.wait_register()
        platform.stop()
        try:
            certificates = machine.issue(6, "down")  # the station serves residents offline
            poll(lambda: machine.metric("kiosk_sync_consecutive_failures") >= 2, "failed sync rounds")
            assert machine.outbox_depth() >= 6
        finally:
            platform.start()  # same data folder or database, same port
        _assert_exactly_once(platform, machine, certificates)
        assert platform.station("down-01")["duplicates"] == 0


EVENT_BATCH = "POST /api/sync/events"  # heartbeats and change polls share the proxy


def test_acknowledgement_lost_after_the_platform_applied(platform: Platform, station_dir: Path) -> None:
    proxy = Proxy(platform.port).start()
    try:
        with enrolled_kiosk(platform, station_dir, "ack-01", "S12", platform_url=proxy.url) as machine:
            machine.wait_register()
            proxy.set(DROP)  # the platform answers; the answer never arrives
            certificates = machine.issue(4, "ack")
            proxy.wait_swallowed(3, request=EVENT_BATCH, status=" 200 ")
            assert machine.outbox_depth() >= 4  # nothing acknowledged, nothing marked sent
            proxy.set(PASS)
            _assert_exactly_once(platform, machine, certificates)
        # The platform did see the batch more than once, and applied it once.
        assert platform.station("ack-01")["duplicates"] >= 4
    finally:
        proxy.stop()


def test_station_killed_mid_batch_and_restarted(platform: Platform, station_dir: Path) -> None:
    proxy = Proxy(platform.port).start()
    env = {"KIOSK_SYNC_BATCH_SIZE": "3"}
    try:
        with enrolled_kiosk(platform, station_dir, "kill-01", "S13", platform_url=proxy.url,
                            env=env) as machine:
            machine.wait_register()
            proxy.set(REFUSE)
            certificates = machine.issue(8, "kill")
            proxy.set(HOLD)  # the next batch reaches the platform; its answer is held...
            proxy.wait_swallowed(1, request=EVENT_BATCH, status=" 200 ")  # applied, then held
            machine.kill()  # ...and the station dies waiting for it
            applied = platform.station("kill-01")["last_applied_seq"]
            assert applied > 0  # the platform had committed part of the backlog
            proxy.set(PASS)
            machine.start()
            _assert_exactly_once(platform, machine, certificates)
        assert platform.station("kill-01")["duplicates"] >= 1  # the unanswered batch came again
    finally:
        proxy.stop()
