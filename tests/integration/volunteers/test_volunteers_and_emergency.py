"""Volunteers and emergency mode end to end, on real processes: a platform on a fresh PostgreSQL
database (the demo: its volunteer register and compounds) and an enrolled station with simulated
devices, on loopback. One platform and one station serve the module; each test keeps to its own
residents. Time is moved, never slept: the forgotten sign-out is closed by the station's own
function on its database at a later "now", and needs escalate by the platform's sweep called with
a later "now" on its database — the real processes then carry the results up and down."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from backend.shared import localtime
from backend.shared.db import make_engine, make_session_factory
from backend.shared.volunteers.config import load_volunteer_config
from support.platform_stack import COMMUNITY, Kiosk, Platform, enrolled_kiosk, running_platform
from support.postgres import fresh_database, server_url
from support.stack import poll

pytestmark = pytest.mark.postgres
STATION = "vol-01"
CONFIG = load_volunteer_config()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, Kiosk]]:
    with (
        fresh_database(server_url()) as url,
        running_platform(tmp_path_factory.mktemp("platform"), url) as platform,
        enrolled_kiosk(platform, tmp_path_factory.mktemp("station"), STATION, "S61") as kiosk,
    ):
        kiosk.wait_register()
        yield platform, kiosk


def _platform_db(platform: Platform) -> Any:
    assert platform.database_url
    return make_session_factory(
        make_engine(
            platform.database_url.replace("postgresql://", "postgresql+psycopg://")
            if "+" not in platform.database_url
            else platform.database_url
        )
    )


def _identified(kiosk: Kiosk, client: httpx.Client, name: str, service: str = "volunteers") -> str:
    return kiosk.sims.identify(client, service, name)


def _map_png() -> bytes:
    """A notice's picture as staff might upload it: a PNG larger than the kiosk shows, with a note."""
    image = Image.new("RGB", (1600, 800), "white")
    ImageDraw.Draw(image).rectangle((200, 200, 1400, 600), outline="red", width=12)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=_note("Author", "staff phone"))
    return out.getvalue()


def _note(key: str, value: str) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    return info


def _events(platform: Platform, kind: str) -> list[dict[str, Any]]:
    return [e for e in platform.events(STATION) if e["type"] == kind]


def test_register_import_refuses_a_file_with_bad_rows_whole(stack: tuple[Platform, Kiosk]) -> None:
    platform, _ = stack
    base = f"/api/staff/communities/{COMMUNITY}/volunteers"
    with platform.staff() as staff:
        before = staff.get(base).json()
        assert {v["name"] for v in before} >= {"张三", "王五"}  # the demo's register
        bad = (
            "id_number,name,employer,compound,roles,leads,task_group\n"
            "460107199008158600,赵六,琼山区司法局,GL-01,调解员,,\n"  # unknown role
            "460107199008158601,赵六,琼山区司法局,GL-01,,,\n"  # wrong check digit
            "460107194512309516,周九,琼山区司法局,GL-09,,,\n"  # unknown compound
            "460107194512309516,周九,琼山区司法局,GL-01,单元长,7-1,\n"  # building 7 is in GL-02
            "460107196211024241,李四,琼山区税务局,GL-01,单元长,3-2,medical\n"
        )  # good
        refused = staff.post(base + "/import", files={"file": ("v.csv", bad.encode(), "text/csv")})
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["code"] == "volunteers.rejected" and body["context"]["rejected_count"] == 4
        assert [(r["line"], r["reason"]) for r in body["context"]["rejected"]] == [
            (2, "bad_role"),
            (3, "bad_id_number"),
            (4, "unknown_compound"),
            (5, "bad_lead"),
        ]
        assert "4601" not in refused.text.replace("460107002001", "")  # no ID number echoed
        assert staff.get(base).json() == before  # nothing half-imported

        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["id_number", "name", "employer", "compound", "roles", "leads"])
        sheet.append(["46010720080521616X", "孙八", "琼山区团委", "GL-02", "红色队长", ""])
        out = io.BytesIO()
        book.save(out)
        done = staff.post(
            base + "/import", files={"file": ("v.xlsx", out.getvalue(), "application/octet-stream")}
        )
        assert done.status_code == 200, done.text
        assert done.json()["added"] == 1
        added = staff.post(
            base,
            json={
                "id_number": "460107199008158600",
                "name": "赵六",
                "employer": "琼山区司法局",
                "compound": "GL-01",
                "roles": "单元长",
                "leads": "5-1",
            },
        )
        assert added.status_code == 201, added.text
        assert added.json()["roles"] == ["volunteer", "unit_leader"] and added.json()["id_masked"].endswith(
            "0"
        )
        after = {v["name"]: v for v in staff.get(base).json()}
        assert after["孙八"]["roles"] == ["volunteer", "red_captain"] and len(after) == len(before) + 2


def test_duty_sign_in_and_out_and_a_forgotten_sign_out(stack: tuple[Platform, Kiosk]) -> None:
    platform, kiosk = stack
    from backend.station.services import volunteers

    with kiosk.client() as client:
        session = _identified(kiosk, client, "张三")
        poll(
            lambda: client.post("/api/volunteers/me", json={"session_id": session}).status_code == 200,
            "the volunteer register at the station",
        )
        signed = client.post("/api/volunteers/sign-in", json={"session_id": session, "kind": "patrol"})
        assert signed.status_code == 201, signed.text
        assert signed.json()["slip"][:3] == ["志愿服务签到", "志愿者：张三", "服务类型：巡查"]
        again = client.post("/api/volunteers/sign-in", json={"session_id": session, "kind": "watch"})
        assert again.status_code == 409 and again.json()["code"] == "volunteer.already_on_duty"
        out = client.post("/api/volunteers/sign-out", json={"session_id": session, "print": True})
        assert out.status_code == 200, out.text
        assert out.json()["slip"][0] == "志愿服务签退" and any(
            "服务时长" in line for line in out.json()["slip"]
        )
        job = kiosk.sims.wait_for_jobs(1)[-1]
        printed = (Path(kiosk.sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.txt").read_text(
            encoding="utf-8"
        )
        assert "志愿服务签退" in printed and "巡查" in printed
        forgotten = client.post(
            "/api/volunteers/sign-in", json={"session_id": session, "kind": "watch"}
        ).json()

        # The volunteer walks away. The station's clock-driven close runs at a later "now".
        started = datetime.fromisoformat(forgotten["started_at"])
        cutoff = volunteers.close_time(started, CONFIG.auto_close_hour)
        station_db = make_session_factory(make_engine(f"sqlite:///{kiosk.data_dir / 'station.db'}"))
        assert volunteers.close_forgotten(station_db, config=CONFIG, now=cutoff - timedelta(minutes=1)) == 0
        assert volunteers.close_forgotten(station_db, config=CONFIG, now=cutoff + timedelta(minutes=5)) == 1
        late = client.post("/api/volunteers/sign-out", json={"session_id": session}).json()
        assert late["forgotten"] and datetime.fromisoformat(late["ended_at"]) == cutoff
        assert f"（未签退，已于 {CONFIG.auto_close_hour}:00 自动结束）" in late["slip"]
        record = client.post("/api/volunteers/hours", json={"session_id": session}).json()
        assert len(record["duties"]) == 2 and record["slip"][-1] == "* 未签退，按设定时间自动结束"
        client.delete(f"/api/sessions/{session}")
        kiosk.sims.remove_card()

    month = localtime.local_date(started).strftime("%Y-%m")
    url = f"/api/staff/communities/{COMMUNITY}/volunteer-hours"
    with platform.staff() as staff:
        rows = poll(
            lambda: (
                (r := staff.get(url, params={"month": month}).json())
                and r[0]["duties"] == 2
                and r[0]["forgotten"] == 1
                and r
            ),
            "the duties on the platform",
        )
        assert rows[0]["name"] == "张三" and rows[0]["minutes"] == late["minutes"] + out.json()["minutes"]
        by_unit = staff.get(url, params={"month": month, "by": "unit"}).json()
        assert by_unit == [
            {
                "employer": "琼山区城市管理局",
                "duties": 2,
                "minutes": rows[0]["minutes"],
                "forgotten": 1,
                "hours": rows[0]["hours"],
            }
        ]
        csv_file = staff.get(url, params={"month": month, "by": "compound", "format": "csv"})
        assert csv_file.status_code == 200 and "GL-01" in csv_file.content.decode("utf-8-sig")
        xlsx = staff.get(url, params={"month": month, "format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    applied = _events(platform, "duty.started") + _events(platform, "duty.ended")
    assert len(applied) == 4 and all(e["outcome"] == "applied" for e in applied)


def test_emergency_mode_reaches_the_station_and_a_need_is_routed_and_escalated(
    stack: tuple[Platform, Kiosk],
) -> None:
    platform, kiosk = stack
    with platform.staff() as staff:
        group = staff.put(
            f"/api/staff/communities/{COMMUNITY}/neighbour-groups/3",
            json={"name": "3号楼邻里一家亲", "qr_text": "https://weixin.qq.com/g/demo-3"},
        )
        assert group.status_code == 200, group.text
        not_a_picture = {"title": {"zh": "地图"}, "image_base64": base64.b64encode(b"GIF89a...").decode()}
        refused = staff.post(
            "/api/staff/emergency",
            json={
                "community_code": COMMUNITY,
                "scope": "compound",
                "compound_code": "GL-01",
                "reason": "封控演练",
                "message": {"zh": "x"},
                "notices": [not_a_picture],
            },
        )
        assert refused.status_code == 422 and refused.json()["code"] == "emergency.bad_notice_image"
        switched = staff.post(
            "/api/staff/emergency",
            json={
                "community_code": COMMUNITY,
                "scope": "compound",
                "compound_code": "GL-01",
                "reason": "封控演练",
                "message": {"zh": "桂林花园临时封控，请留在家中", "en": "Guilin Garden is locked down"},
                "notices": [
                    {"title": {"zh": "物资配送"}, "body": {"zh": "每日上午配送"}},
                    {"title": {"zh": "发放点"}, "image_base64": base64.b64encode(_map_png()).decode()},
                ],
            },
        )
        assert switched.status_code == 201, switched.text
        mode = switched.json()
        assert [n["has_image"] for n in mode["notices"]] == [False, True]
        assert mode["buildings"] == ["1", "2", "3", "5"] and mode["active"]
        twice = staff.post(
            "/api/staff/emergency",
            json={
                "community_code": COMMUNITY,
                "scope": "buildings",
                "buildings": ["3"],
                "reason": "x",
                "message": {"zh": "x"},
            },
        )
        assert twice.status_code == 409 and twice.json()["code"] == "emergency.already_on"

    with kiosk.client() as client:
        status = poll(
            lambda: (s := client.get("/api/emergency").json())["active"] and s, "the emergency at the station"
        )
        assert status["areas"][0]["area_name"]["zh"] == "桂林花园" and status["hotline"] == CONFIG.hotline
        first, second = status["areas"][0]["notices"]
        assert not first["has_image"] and "image" not in first and second["has_image"]
        picture = client.get(second["image"])
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
        with Image.open(io.BytesIO(picture.content)) as shown:
            assert shown.format == "JPEG" and shown.size == (1024, 512) and not shown.getexif()
        missing = client.get(second["image"].replace("/1/image", "/0/image"))
        assert missing.status_code == 404 and missing.json()["code"] == "emergency.no_notice_image"
        session = _identified(kiosk, client, "王五", "emergency")  # 楼栋长 of building 5, medical group
        checked = client.post("/api/emergency/checkins", json={"session_id": session})
        assert checked.status_code == 201 and checked.json()["task_group"] == "medical", checked.text
        client.delete(f"/api/sessions/{session}")
        kiosk.sims.remove_card()

        session = _identified(kiosk, client, "李四", "emergency")  # building 3: its leader is 张三
        shown = poll(
            lambda: (
                (g := client.post("/api/neighbour-group", json={"session_id": session})).status_code == 200
                and g.json()["qr_text"] != f"https://example.invalid/qun/{COMMUNITY}-3"  # the demo's, replaced
                and g.json()
            ),
            "the staff's neighbour group at the station",
        )
        assert shown["qr_text"] == "https://weixin.qq.com/g/demo-3"
        platform.stop()  # the platform is away: the need is kept and numbered here
        try:
            poll(lambda: kiosk.metric("kiosk_sync_consecutive_failures") >= 1, "a failed sync round")
            need = client.post(
                "/api/emergency/needs",
                json={
                    "session_id": session,
                    "idempotency_key": "need-offline-0001",
                    "kind": "medicine",
                    "urgency": "urgent",
                    "phone": "13812345678",
                },
            )
            assert need.status_code == 201, need.text
            body = need.json()
            assert (
                not body["sent"]
                and body["state"] == "open"
                and "（网络中断，已离线保存，恢复后自动上报）" in body["slip"]
            )
            retry = client.post(
                "/api/emergency/needs",
                json={
                    "session_id": session,
                    "idempotency_key": "need-offline-0001",
                    "kind": "medicine",
                    "urgency": "urgent",
                    "phone": "13812345678",
                },
            )
            assert retry.json()["need_no"] == body["need_no"]
        finally:
            platform.start()
        number = body["need_no"]
        mine = poll(
            lambda: (
                (m := client.post("/api/emergency/needs/mine", json={"session_id": session}).json())
                and m[0]["level"]
                and m
            ),
            "the need's status back at the station",
        )
        assert mine[0]["level"] == "building_leader" and mine[0]["state_words"]["zh"] == "待接单"

        with platform.staff() as staff:
            routed = staff.get(f"/api/staff/needs/{number}").json()
            leader = {
                v["name"]: v["id"] for v in staff.get(f"/api/staff/communities/{COMMUNITY}/volunteers").json()
            }
            assert routed["assignee"] == str(leader["张三"]) and routed["phone_masked"] == "138****5678"
        assert len(_events(platform, "need.registered")) == 1

        from backend.platform.services.volunteers.needs import sweep

        factory = _platform_db(platform)
        later = datetime.fromisoformat(routed["history"][-1]["at"])
        assert sweep(factory, config=CONFIG, now=later + timedelta(minutes=14)) == []
        moved = sweep(factory, config=CONFIG, now=later + timedelta(minutes=15))
        assert [n["level"] for n in moved] == ["task_group"]
        assert [n["level"] for n in sweep(factory, config=CONFIG, now=later + timedelta(minutes=31))] == [
            "command"
        ]
        assert sweep(factory, config=CONFIG, now=later + timedelta(hours=5)) == []  # the top: it stays
        at_top = poll(
            lambda: (
                (m := client.post("/api/emergency/needs/mine", json={"session_id": session}).json())[0][
                    "level"
                ]
                == "command"
                and m
            ),
            "the escalation at the station",
        )
        assert [h["words"] for h in at_top[0]["history"]][-2:] == [
            "已派专项工作组：医疗服务组",
            "已派指挥部：指挥部",
        ]
        with platform.staff() as staff:
            taken = staff.post(f"/api/staff/needs/{number}/take", json={"by": "指挥部 王五"})
            assert taken.status_code == 200, taken.text
            assert staff.post(f"/api/staff/needs/{number}/deliver", json={"by": "王五"}).status_code == 200
            assert staff.post(f"/api/staff/needs/{number}/deliver", json={"by": "王五"}).status_code == 409
        done = poll(
            lambda: (
                (m := client.post("/api/emergency/needs/mine", json={"session_id": session}).json())[0][
                    "state"
                ]
                == "delivered"
                and m
            ),
            "已送达 at the station",
        )
        assert done[0]["state_words"]["zh"] == "已送达"
        client.delete(f"/api/sessions/{session}")
        kiosk.sims.remove_card()

    with platform.staff() as staff:
        command = staff.get(f"/api/staff/emergency/{mode['id']}/command").json()
        building = {b["building"]: b for b in command["buildings"]}
        assert building["3"]["leaders"] == ["张三"] and building["5"]["leaders"] == ["王五"]
        assert {"unit": "2", "name": "吴十"} in building["2"]["unit_leaders"]
        assert {g["code"]: g["volunteers"] for g in command["groups"]}["medical"] == ["王五"]
        assert command["fulfil"]["delivered"] == 1 and command["fulfil"]["escalated"] == 1
        ended = staff.post(f"/api/staff/emergency/{mode['id']}/end", json={"reason": "解除封控"})
        assert ended.status_code == 200 and not ended.json()["active"]
        report = staff.get(f"/api/staff/emergency/{mode['id']}/report").json()
        assert {k["kind"]: k["count"] for k in report["needs_by_kind"]}["medicine"] == 1
        assert "王五" in [v["name"] for v in report["volunteers"]]
        actions = [e["action"] for e in staff.get("/api/staff/audit").json()]
        assert "emergency.on" in actions and "emergency.off" in actions
    with kiosk.client() as client:
        poll(lambda: not client.get("/api/emergency").json()["active"], "normal times back at the station")
        assert client.get(second["image"]).status_code == 404  # an ended emergency's pictures go too


def test_only_an_emergency_role_switches_an_area(stack: tuple[Platform, Kiosk]) -> None:
    platform, _ = stack
    with platform.staff() as admin:
        created = admin.post(
            "/api/staff/users",
            json={
                "username": "vol-staff",
                "password": "vol-staff-pass-1",
                "role": "staff",
                "org_code": COMMUNITY,
                "must_change_password": False,
            },
        )
        assert created.status_code == 201, created.text
    token = httpx.post(
        platform.url + "/api/auth/login", json={"username": "vol-staff", "password": "vol-staff-pass-1"}
    ).json()["token"]
    with httpx.Client(base_url=platform.url, headers={"Authorization": f"Bearer {token}"}) as staff:
        refused = staff.post(
            "/api/staff/emergency",
            json={
                "community_code": COMMUNITY,
                "scope": "compound",
                "compound_code": "GL-02",
                "reason": "x",
                "message": {"zh": "x"},
            },
        )
        assert refused.status_code == 403
        assert staff.get(f"/api/staff/communities/{COMMUNITY}/volunteers").status_code == 200
