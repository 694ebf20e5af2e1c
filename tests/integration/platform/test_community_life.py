"""Community life on real processes: a platform and an enrolled kiosk on loopback (SQLite, then
PostgreSQL). An activity fills up and keeps a waiting list; a cancelled place moves the first
waiting resident up, who hears it at the next identification; a ticket checks in once (at the
kiosk, then refused there and on the staff phone page); a sign-up made offline reaches the
platform once. A ledger import with bad rows is refused whole with a report; an owner reads the
month at the kiosk, a non-owner only learns that the compound publishes. A household supports a
proposal once."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.platform_stack import COMMUNITY, Kiosk, Platform, enrolled_kiosk
from support.stack import poll

GARDEN, COURT = "GL-01", "GL-02"  # 桂林花园 (buildings 1 2 3 5), 椰林苑 (7 9 11)


@pytest.fixture(scope="module")
def machine(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    """One enrolled kiosk shared by this module's tests (each uses its own activities and compounds)."""
    with enrolled_kiosk(platform, tmp_path_factory.mktemp("community"), "community-01", "S66") as kiosk:
        kiosk.wait_register()
        yield kiosk


def _activity(platform: Platform, title: str, capacity: int, **extra: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    body = {"community_code": COMMUNITY, "title": title, "description": "猜灯谜、换花", "place": "桂林社区广场",
            "starts_at": (now + timedelta(hours=1)).isoformat(), "ends_at": (now + timedelta(hours=3)).isoformat(),
            "capacity": capacity, "signup_opens_at": (now - timedelta(hours=1)).isoformat(),
            "signup_closes_at": (now + timedelta(minutes=50)).isoformat()} | extra
    with platform.staff() as staff:
        created = staff.post("/api/staff/activities", json=body)
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


def _identify(machine: Kiosk, kiosk: httpx.Client, name: str) -> str:
    machine.sims.remove_card()
    return machine.sims.identify(kiosk, "community", resident=name)


def _sign_up(machine: Kiosk, kiosk: httpx.Client, name: str, activity_id: str, key: str) -> dict[str, Any]:
    session = _identify(machine, kiosk, name)
    response = kiosk.post(f"/api/activities/{activity_id}/signups",
                          json={"session_id": session, "idempotency_key": key})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json() | {"session_id": session}
    return result


def _roster(platform: Platform, activity_id: str) -> dict[str, str]:
    with platform.staff() as staff:
        found = staff.get(f"/api/staff/activities/{activity_id}").json()
    return {s["name_masked"]: s["state"] for s in found["signups"]}


def test_full_activity_waiting_list_promotion_and_tickets_checked_in_once(platform: Platform,
                                                                          machine: Kiosk) -> None:
    activity = _activity(platform, "府城元宵换花节", capacity=1)
    with machine.client() as kiosk:
        poll(lambda: any(a["id"] == activity["id"] for a in kiosk.get("/api/activities").json()),
             "the activity at the kiosk")
        first = _sign_up(machine, kiosk, "张三", activity["id"], "signup-first-0001")
        again = kiosk.post(f"/api/activities/{activity['id']}/signups",
                           json={"session_id": first["session_id"], "idempotency_key": "signup-first-0002"})
        assert again.json()["code"] == "activity.already_signed_up"
        second = _sign_up(machine, kiosk, "李四", activity["id"], "signup-second-001")
        assert (first["state"], second["state"]) == ("confirmed", "waiting")
        assert second["activity"]["full"] and first["ticket_token"].startswith("HD1:")
        poll(lambda: _roster(platform, activity["id"]) == {"张*": "confirmed", "李*": "waiting"},
             "the platform's places")

        session = _identify(machine, kiosk, "张三")  # 张三 cannot come: the place goes to 李四
        cancelled = kiosk.post(f"/api/activities/signups/{first['id']}/cancel", json={"session_id": session})
        assert cancelled.json()["state"] == "cancelled", cancelled.text
        refused = kiosk.post("/api/activities/checkin", json={"token": first["ticket_token"]})
        assert refused.json()["code"] == "activity.ticket_cancelled"
        poll(lambda: _roster(platform, activity["id"]) == {"张*": "cancelled", "李*": "confirmed"},
             "the first waiting resident moved up")

        def told() -> list[dict[str, Any]]:
            session_id = _identify(machine, kiosk, "李四")
            outcomes = kiosk.get(f"/api/sessions/{session_id}").json()["outcomes"]
            return [o for o in outcomes if o.get("kind") == "activity.promoted"]

        moved = poll(told, "the kiosk telling 李四 at the next identification")
        assert moved[0]["signup_id"] == second["id"] and "已有名额" in moved[0]["message"]["zh"]
        assert told() == []  # told once

        checked = kiosk.post("/api/activities/checkin", json={"token": second["ticket_token"]})
        assert checked.status_code == 200 and checked.json()["state"] == "checked_in", checked.text
        twice = kiosk.post("/api/activities/checkin", json={"token": second["ticket_token"]})
        assert twice.status_code == 409 and twice.json()["code"] == "activity.ticket_used"
        poll(lambda: _roster(platform, activity["id"])["李*"] == "checked_in", "the check-in at the platform")
        with platform.staff() as staff:  # the staff phone page: the same ticket again
            phone = staff.post("/api/staff/signups/checkin", json={"token": second["ticket_token"]})
            assert phone.json()["code"] == "activity.ticket_used"
            forged = staff.post("/api/staff/signups/checkin", json={"token": second["ticket_token"][:-6] + "AAAAAA"})
            assert forged.json()["code"] == "activity.bad_ticket"
            export = staff.get(f"/api/staff/activities/{activity['id']}/export.csv")
        assert export.status_code == 200 and "李*" in export.text and "checked_in" in export.text
    events = [e for e in platform.events("community-01") if e["type"].startswith("signup.")]
    assert [(e["type"], e["outcome"]) for e in events if e["aggregate_id"] == second["id"]] == [
        ("signup.made", "applied"), ("signup.checked_in", "applied")]


def test_offline_sign_up_reaches_the_platform_once(platform: Platform, machine: Kiosk) -> None:
    activity = _activity(platform, "社区书法班", capacity=5)
    with machine.client() as kiosk:
        poll(lambda: any(a["id"] == activity["id"] for a in kiosk.get("/api/activities").json()),
             "the activity at the kiosk")
        platform.stop()
        try:
            poll(lambda: machine.metric("kiosk_sync_consecutive_failures") >= 1, "a failed sync round")
            made = _sign_up(machine, kiosk, "王五", activity["id"], "offline-signup-01")
            retry = kiosk.post(f"/api/activities/{activity['id']}/signups",
                               json={"session_id": made["session_id"], "idempotency_key": "offline-signup-01"})
            assert retry.json()["id"] == made["id"] and made["state"] == "confirmed"
            assert not made["confirmed_by_platform"]
        finally:
            platform.start()
        poll(lambda: _roster(platform, activity["id"]) == {"王*": "confirmed"}, "the offline sign-up synced")
    made_events = [e for e in platform.events("community-01")
                   if e["type"] == "signup.made" and e["aggregate_id"] == made["id"]]
    assert [e["outcome"] for e in made_events] == ["applied"]


LEDGER_HEAD = "日期,类别,收支,金额,对方,凭证号,更正凭证号\n"


def _import(platform: Platform, month: str, text: str, name: str = "ledger.csv") -> httpx.Response:
    with platform.staff() as staff:
        return staff.post(f"/api/staff/accounts/{GARDEN}/{month}",
                          files={"file": (name, io.BytesIO(text.encode()), "text/csv")})


def test_ledger_imports_and_what_owners_and_others_see(platform: Platform, machine: Kiosk) -> None:
    bad = _import(platform, "2019-01", LEDGER_HEAD + "2019-01-05,物业费,收入,1200.00,业主,V001,\n"
                  "2019-02-01,保洁,支出,300,保洁公司,V002,\n2019-01-09,绿化,支,12.345,园林公司,V003,\n"
                  "2019-01-10,维修,其他,50,某人,V001,\n2019-01-11,电费,支出,abc,供电局,V004,V999\n")
    assert bad.status_code == 422
    report = {(r["line"], r["column"], r["reason"]) for r in bad.json()["context"]["rejected"]}
    assert report == {(3, "date", "other_month"), (4, "amount", "bad_amount"), (5, "direction", "bad_direction"),
                      (6, "amount", "bad_amount")}
    with platform.staff() as staff:
        months = staff.get(f"/api/staff/accounts/{GARDEN}").json()["months"]
    assert "2019-01" not in [m["month"] for m in months]  # nothing was imported
    good = _import(platform, "2019-01", LEDGER_HEAD + "2019-01-05,物业费,收入,\"1,200.10\",业主,V001,\n"
                   "2019-01-08,保洁,支出,300.05,保洁公司,V002,\n2019-01-09,绿化,支出,0.10,园林公司,V003,\n")
    assert good.status_code == 201 and good.json()["imported"] == 3, good.text
    duplicate = _import(platform, "2019-01", LEDGER_HEAD + "2019-01-20,保洁,支出,1,保洁公司,V002,\n")
    assert duplicate.json()["context"]["rejected"][0]["reason"] == "duplicate_voucher"
    correction = _import(platform, "2019-01", LEDGER_HEAD + "2019-01-09,绿化,支出,0.20,园林公司,V003a,V003\n")
    assert correction.status_code == 201, correction.text
    twice = _import(platform, "2019-01", LEDGER_HEAD + "2019-01-09,绿化,支出,0.30,园林公司,V003b,V003\n")
    assert twice.json()["context"]["rejected"][0]["reason"] == "unknown_correction"
    with machine.client() as kiosk:
        def month() -> dict[str, Any]:
            session = _identify(machine, kiosk, "张三")  # building 3: an owner in 桂林花园
            response = kiosk.get(f"/api/accounts/{GARDEN}/2019-01", params={"session_id": session})
            return response.json() if response.status_code == 200 else {}

        shown = poll(lambda: (m := month()) and len(m["entries"]) == 4 and m, "the month at the kiosk")
        assert (shown["income"], shown["expense"], shown["balance"]) == ("1200.10", "300.25", "899.85")
        assert [e["voucher"] for e in shown["entries"] if e["corrected_by"]] == ["V003"]
        assert any("899.85" in line for line in shown["statement"])
        other = _identify(machine, kiosk, "孙八")  # building 7: 椰林苑, not this compound
        refused = kiosk.get(f"/api/accounts/{GARDEN}/2019-01", params={"session_id": other})
        assert refused.status_code == 403 and refused.json()["code"] == "accounts.not_owner"
        published = kiosk.get("/api/accounts").json()
        assert [(p["compound"], p["publishes"]) for p in published] == [(GARDEN, True)]
    with platform.staff() as staff:
        imports = [i for i in staff.get(f"/api/staff/accounts/{GARDEN}").json()["imports"] if i["month"] == "2019-01"]
    assert len(imports) == 2 and all(i["by"] == "admin" for i in imports)


def test_a_household_supports_a_proposal_once(platform: Platform, machine: Kiosk) -> None:
    with machine.client() as kiosk:
        session = _identify(machine, kiosk, "郑十一")  # building 9, household H0901
        body = {"session_id": session, "compound": COURT, "category": "public_facilities",
                "title": "增设电动车充电桩", "text": "车棚没有充电桩", "idempotency_key": "kiosk-key-0001"}
        raised = kiosk.post("/api/council/proposals", json=body)
        assert raised.status_code == 201 and raised.json()["supporters"] == 1, raised.text
        proposal_id = raised.json()["id"]
        again = kiosk.post("/api/council/proposals", json=body)  # the kiosk's retry: the same one
        assert again.status_code == 201 and again.json()["id"] == proposal_id, again.text
        assert [p["id"] for p in kiosk.get("/api/council/proposals").json()].count(proposal_id) == 1
        session = _identify(machine, kiosk, "冯十二")  # household H0902
        first = kiosk.post(f"/api/council/proposals/{proposal_id}/support", json={"session_id": session})
        assert first.status_code == 200 and first.json()["supporters"] == 2, first.text
        session = _identify(machine, kiosk, "陈十三")  # the same household H0902
        second = kiosk.post(f"/api/council/proposals/{proposal_id}/support", json={"session_id": session})
        assert second.status_code == 409 and second.json()["code"] == "council.already_supported"
        mine = kiosk.get(f"/api/council/mine?session_id={session}").json()  # what the kiosk shows 陈十三
        assert mine["compound"] == COURT
        assert [p["supported"] for p in mine["proposals"] if p["id"] == proposal_id] == [True]
        outsider = _identify(machine, kiosk, "张三")  # 桂林花园: not this compound
        refused = kiosk.post(f"/api/council/proposals/{proposal_id}/support", json={"session_id": outsider})
        assert refused.json()["code"] == "council.not_of_compound"
        session = _identify(machine, kiosk, "孙八")  # household H0702: the third, the threshold
        third = kiosk.post(f"/api/council/proposals/{proposal_id}/support", json={"session_id": session})
        assert third.status_code == 200 and third.json()["supporters"] == 3, third.text
        with platform.staff() as staff:
            found = poll(lambda: [p for p in staff.get("/api/staff/proposals").json() if p["id"] == proposal_id
                                  and p["state"] == "agenda"], "the proposal on the council's agenda")
            assert found[0]["supporters"] == 3 and found[0]["ticket_no"].startswith("GD-")
            assert not found[0]["has_photo"]  # raised without one: none to show staff
            assert staff.get(f"/api/staff/proposals/{proposal_id}/photo").json()["code"] == "request.not_found"
            ticket = staff.get(f"/api/staff/tickets/{found[0]['ticket_no']}").json()
            assert ticket["category"] == "public_facilities" and "增设电动车充电桩" in ticket["description"]
            decided = staff.post(f"/api/staff/proposals/{proposal_id}/decision",
                                 json={"accepted": True, "decision": "由物业在车棚加装10个充电桩"})
            assert decided.status_code == 200, decided.text
        shown = poll(lambda: (p := kiosk.get(f"/api/council/proposals/{proposal_id}").json())["state"] == "decided"
                     and p, "the decision at the kiosk")
        assert "决定：由物业在车棚加装10个充电桩" in shown["print_lines"]


def test_an_organisation_filed_at_the_kiosk_and_approved(platform: Platform, machine: Kiosk) -> None:
    with machine.client() as kiosk:
        assert "sport" in {k["code"] for k in kiosk.get("/api/organisations/kinds").json()}
        session = _identify(machine, kiosk, "吴十")
        body = {"session_id": session, "name": "桂林社区广场舞队", "kind": "sport", "phone": "13800138000",
                "members": 18, "activities": "每晚七点在社区广场跳广场舞", "idempotency_key": "org-filing-0001"}
        filed = kiosk.post("/api/organisations", json=body)
        assert filed.status_code == 201 and filed.json()["state"] == "applied", filed.text
        number = filed.json()["id"]
        assert number.startswith("ZZ-") and "-S66-" in number
        retried = kiosk.post("/api/organisations", json=body)  # the answer was lost: the same filing
        assert retried.json()["id"] == number and "idempotency_key" not in retried.json()
        jobs = len(machine.sims.jobs())
        slip = kiosk.post(f"/api/organisations/{number}/slip", json={"session_id": session})
        assert slip.status_code == 200, slip.text
        job = machine.sims.wait_for_jobs(jobs + 1)[-1]
        printed = Path(machine.sims.endpoints["jobs_dir"], f"{job['id']:04d}.txt").read_text("utf-8")
        assert number in printed and "桂林社区广场舞队" in printed and "13800138000" not in printed
        other = _identify(machine, kiosk, "张三")
        refused = kiosk.post(f"/api/organisations/{number}/slip", json={"session_id": other})
        assert refused.status_code >= 400  # only the leader prints their filing
        with platform.staff() as staff:
            poll(lambda: any(o["id"] == number for o in staff.get("/api/staff/organisations").json()),
                 "the filing at the platform")
            unclear = staff.post(f"/api/staff/organisations/{number}/decision", json={"decision": "refuse"})
            assert unclear.json()["code"] == "application.reason_required"
            approved = staff.post(f"/api/staff/organisations/{number}/decision",
                                  json={"decision": "approve", "how_to_join": "晚上七点到广场找领队"})
            assert approved.json()["state"] == "approved" and approved.json()["contact_masked"] == "138****8000"
        listed = poll(lambda: [o for o in kiosk.get("/api/organisations").json() if o["id"] == number],
                      "the organisation listed at the kiosk")
        assert listed[0]["how_to_join"] == "晚上七点到广场找领队" and "leader_hash" not in listed[0]
        mine = kiosk.get("/api/organisations/mine", params={"session_id": _identify(machine, kiosk, "吴十")})
        assert [o["state"] for o in mine.json() if o["id"] == number] == ["approved"]
