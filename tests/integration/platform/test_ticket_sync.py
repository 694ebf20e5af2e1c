"""A request filed at an enrolled station while the platform is unreachable, then synced, handled
by staff through the five levels, its status coming back down to the kiosk's 进度查询, rated
badly at the kiosk (reopened), handled again and given its one follow-up rating."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from support.platform_stack import Kiosk, Platform, enrolled_kiosk
from support.stack import poll

GRID_1 = "460107002001-01"


def _identified(kiosk: httpx.Client, machine: Kiosk) -> str:
    return machine.sims.identify(kiosk, "requests")


def _progress(kiosk: httpx.Client, token: str) -> dict[str, Any]:
    response = kiosk.post("/api/tickets/lookup", json={"token": token})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _handle(platform: Platform, ticket_no: str, reply: str) -> None:
    platform.ticket_action(ticket_no, "reply", {"text": reply})
    platform.ticket_action(ticket_no, "close", {"outcome": "resolved"})


def test_offline_filing_then_sync_handling_and_ratings(platform: Platform, station_dir: Path) -> None:
    with enrolled_kiosk(platform, station_dir, "tickets-01", "S87") as machine, \
            machine.client() as kiosk:
        machine.wait_register()
        platform.stop()  # the platform is unreachable
        try:
            poll(lambda: machine.metric("kiosk_sync_consecutive_failures") >= 1, "a failed sync round")
            session_id = _identified(kiosk, machine)
            created = kiosk.post("/api/tickets", json={
                "session_id": session_id, "idempotency_key": "offline-0001", "category": "property_repairs",
                "place": {"kind": "building", "building": "3", "unit": "2"}, "phrases": ["water_leak"],
                "text": "厨房", "phone": "010-62345678"})
            assert created.status_code == 201, created.text
            ticket, token = created.json(), created.json()["slip_token"]
            number = ticket["ticket_no"]
            assert number.startswith("GD-") and "-S87-" in number and not ticket["sent"]
            slip = kiosk.post(f"/api/tickets/{number}/slip", json={"session_id": session_id})
            assert slip.status_code == 200 and slip.json()["printed_offline_note"]
            job = machine.sims.wait_for_jobs(1)[-1]
            text = (Path(machine.sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.txt").read_text(encoding="utf-8")
            assert "离线保存" in text and number in text
            machine.sims.remove_card()
        finally:
            platform.start()  # back online: the ticket reaches the platform, its status comes back
        poll(lambda: _progress(kiosk, token)["state"] == "received", "the ticket's status from the platform")
        with platform.staff() as staff:
            filed = staff.get(f"/api/staff/tickets/{number}").json()
            contact = staff.get(f"/api/staff/tickets/{number}/contact").json()
        assert filed["resident"] == {"name": "张三", "id_masked": "4601*************2",
                                     "phone_masked": "010-****5678"}
        assert contact["contact"] == {"phone": "010-62345678"}  # sealed at the kiosk, opened here
        assert filed["dispatch_suggestion"]["unit"] == GRID_1
        platform.ticket_action(number, "classify", {"category": "property_repairs", "grade": "normal"})
        platform.ticket_action(number, "dispatch", {"unit": GRID_1, "role": "grid_worker"})
        platform.ticket_action(number, "sign", {})
        _handle(platform, number, "已更换水管")
        closed = poll(lambda: (p := _progress(kiosk, token))["state"] == "closed" and p, "the closed status")
        assert closed["sent"] and closed["can_rate"]
        words = [h["words"]["zh"] for h in closed["history"]]
        assert words[0] == "您的诉求已提交" and words[-1] == "已办结（已解决），欢迎评价"
        assert "答复：已更换水管" in words and "已派给桂林社区第一网格办理" in words

        bad = kiosk.post("/api/ratings", json={"target": "ticket", "token": token, "level": 2,
                                               "reasons": ["slow"]})
        assert bad.status_code == 201, bad.text
        reopened = poll(lambda: (p := _progress(kiosk, token))["state"] == "rectifying" and p, "the reopening")
        assert not reopened["can_rate"] and reopened["follow_up"]
        with platform.staff() as staff:
            assert staff.get(f"/api/staff/tickets/{number}").json()["state"] == "rectifying"
        _handle(platform, number, "已重新检修并回访")
        again = poll(lambda: (p := _progress(kiosk, token))["state"] == "closed" and p, "the second closing")
        assert again["can_rate"] and again["follow_up"]
        follow_up = kiosk.post("/api/ratings", json={"target": "ticket", "token": token, "level": 5})
        assert follow_up.status_code == 201 and follow_up.json()["follow_up"]
        poll(lambda: _progress(kiosk, token)["state"] == "rated", "the final rating")
        refused = kiosk.post("/api/ratings", json={"target": "ticket", "token": token, "level": 1})
        assert refused.json()["code"] == "ticket.already_rated"
        events = [e for e in platform.events("tickets-01") if e["type"] in ("ticket.submitted", "rating.submitted")]
        assert [(e["type"], e["outcome"]) for e in events] == [
            ("ticket.submitted", "applied"), ("rating.submitted", "applied"), ("rating.submitted", "applied")]
        assert all("张三" not in str(e["payload"]) for e in events if e["type"] == "rating.submitted")
        with platform.staff() as staff:
            figures = staff.get("/api/staff/tickets/figures", params={"by": "category"}).json()
        repairs = next(g for g in figures["groups"] if g["key"] == "property_repairs")
        assert repairs["reopened"] >= 1 and repairs["ratings"]["5"] >= 1
