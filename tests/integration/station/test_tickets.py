"""Residents' requests over HTTP against a running station and its simulated devices, as the
kiosk's screens will call it: file (identified and anonymous), the printed slip and its QR,
progress by QR and by identity, refusals that change nothing, and ratings."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from support.stack import Simulators, Station, poll

REQUEST = {"category": "property_repairs", "place": {"kind": "building", "building": "3", "unit": "2"},
           "phrases": ["water_leak"], "text": "<b>厨房</b>水槽下面", "phone": "13812345678"}


def _session(client: httpx.Client, sims: Simulators | None = None, service: str = "requests") -> str:
    if sims is not None:
        return sims.identify(client, service)
    return str(client.post("/api/sessions", json={"service": service}).json()["id"])


def _file(client: httpx.Client, session_id: str, key: str, **changes: Any) -> httpx.Response:
    return client.post("/api/tickets", json={"session_id": session_id, "idempotency_key": key, **REQUEST, **changes})


def _jpeg() -> str:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, format="JPEG")
    return base64.b64encode(out.getvalue()).decode()


def test_the_screens_data_and_anonymous_filing(running_station: Station) -> None:
    with running_station.client() as client:
        categories = client.get("/api/tickets/categories").json()
        places = client.get("/api/tickets/places").json()
        options = client.get("/api/ratings/options").json()
    assert len(categories) == 8 and categories[0]["name"] == {"zh": "物业维修", "en": "Property and repairs"}
    assert categories[0]["icon"] == "ticket_property_repairs" and not categories[0]["anonymous_allowed"]
    assert categories[0]["phrases"][0] == {"code": "water_leak", "text": {"zh": "水管漏水", "en": "A water pipe is leaking"}}
    assert categories[0]["usual_reply_within"] == {"zh": "5个工作日", "en": "5 working days"}
    assert ["3", ["2"]] in [[b["building"], b["units"]] for b in places["buildings"]]
    assert places["public"]["landmarks"][0]["name"] == {"zh": "小区北门", "en": "North gate"}
    assert [lv["name"]["zh"] for lv in options["levels"]] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    _anonymous_where_allowed(running_station)


def test_file_print_the_slip_and_follow_it(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session_id = _session(client, sims)
        created = _file(client, session_id, "journey-0001", photo_jpeg_base64=_jpeg())
        assert created.status_code == 201, created.text
        ticket = created.json()
        assert ticket["ticket_no"].startswith("GD-") and ticket["state"] == "pending" and not ticket["sent"]
        assert ticket["status_words"]["zh"] == "已保存在本机，联网后自动提交"
        assert _file(client, session_id, "journey-0001", photo_jpeg_base64=_jpeg()).json()["ticket_no"] == \
            ticket["ticket_no"]  # a retried tap files nothing new
        printed = client.post(f"/api/tickets/{ticket['ticket_no']}/slip", json={"session_id": session_id})
        assert printed.status_code == 200 and printed.json()["printed_offline_note"]  # not enrolled: offline
        job = sims.wait_for_jobs(1)[-1]
        text = (Path(sims.endpoints["jobs_dir"]) / f"{job['id']:04d}.txt").read_text(encoding="utf-8")
        assert "诉求回执" in text and ticket["ticket_no"] in text and "离线保存" in text
        assert "13812345678" not in text
        token = job["qr_codes"][0]["payload"]
        assert token.startswith("GD1:")  # printed on the slip; the screen may show slip_token too
        assert client.post("/api/tickets/lookup", json={"token": ticket["slip_token"]}).status_code == 200
        progress = client.post("/api/tickets/lookup", json={"token": token}).json()
        assert progress["ticket_no"] == ticket["ticket_no"] and progress["place"]["zh"] == "3号楼2单元"
        assert progress["history"][0]["words"]["zh"] == "您的诉求已提交" and not progress["can_rate"]
        mine = client.get("/api/tickets", params={"session_id": session_id}).json()
        assert [t["ticket_no"] for t in mine] == [ticket["ticket_no"]]
        not_closed = client.post("/api/ratings", json={"target": "ticket", "token": token, "level": 5})
        assert not_closed.status_code == 409 and not_closed.json()["code"] == "ticket.not_closed"
        forged = client.post("/api/tickets/lookup", json={"token": token[:-3] + "AAA"})
        assert forged.status_code == 422 and forged.json()["code"] == "ticket.bad_slip"
        stranger = _session(client)  # someone else may not reprint the slip
        refused = client.post(f"/api/tickets/{ticket['ticket_no']}/slip", json={"session_id": stranger})
        assert refused.status_code == 404
        sims.remove_card()


def _anonymous_where_allowed(running_station: Station) -> None:
    with running_station.client() as client:
        session_id = _session(client)
        refused = _file(client, session_id, "anon-00001", anonymous=True)
        assert refused.status_code == 403 and refused.json()["code"] == "ticket.anonymous_not_allowed"
        not_identified = _file(client, session_id, "anon-00002")
        assert not_identified.json()["code"] == "session.not_identified"
        hazard = _file(client, session_id, "anon-00003", anonymous=True, category="safety_hazard",
                       phrases=["gas_smell"], text="", phone="", place={"kind": "public", "landmark": "garage"})
        assert hazard.status_code == 201, hazard.text
        assert hazard.json()["place"]["zh"] == "公共区域：地下车库"


BAD_INPUT = [
    ({"category": "weather"}, 422, "ticket.unknown_category"),
    ({"phrases": [], "text": ""}, 422, "ticket.description_empty"),
    ({"text": "漏" * 600}, 422, "ticket.description_too_long"),
    ({"text": "bell\u0007"}, 422, "ticket.bad_text"),
    ({"phone": "1380013800"}, 422, "ticket.bad_phone"),
    ({"place": {"kind": "building", "building": "404"}}, 422, "ticket.bad_place"),
    ({"photo_jpeg_base64": "not base64!"}, 422, "ticket.bad_photo"),
    ({"photo_jpeg_base64": base64.b64encode(b"GIF89a").decode()}, 422, "ticket.bad_photo"),
    ({"place": {"kind": "moon"}}, 422, "request.invalid"),
]


def test_bad_input_is_refused_and_changes_nothing(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session_id = _session(client, sims)
        for n, (changes, status, code) in enumerate(BAD_INPUT):
            response = _file(client, session_id, f"bad-{n:06d}", **changes)
            assert (response.status_code, response.json()["code"]) == (status, code), changes
            assert set(response.json()["message"]) == {"zh", "en"}
        assert client.get("/api/tickets", params={"session_id": session_id}).json() == []
        sims.remove_card()


def test_a_printed_certificate_is_rated_once(running_station: Station, sims: Simulators) -> None:
    with running_station.client() as client:
        session_id = _session(client, sims, service="certificates")
        certificate = client.post("/api/certificates", json={"session_id": session_id, "type_code": "JZZM",
                                                             "purpose": "school", "idempotency_key": "rate-0001"}).json()
        early = client.post("/api/ratings", json={"target": "certificate", "session_id": session_id,
                                                  "certificate_id": certificate["id"], "level": 5})
        assert early.status_code == 409 and early.json()["code"] == "rating.not_finished"
        poll(lambda: client.post("/api/components/printer/refresh").json()["status"]["code"] == "OK",
             "the printer to be OK", 10, every=0.1)
        assert client.post(f"/api/certificates/{certificate['id']}/print",
                           json={"session_id": session_id}).status_code == 200
        rated = client.post("/api/ratings", json={"target": "certificate", "session_id": session_id,
                                                  "certificate_id": certificate["id"], "level": 4,
                                                  "reasons": ["fast", "easy"]})
        assert rated.status_code == 201 and rated.json()["message"]["zh"] == "感谢您的评价！"
        again = client.post("/api/ratings", json={"target": "certificate", "session_id": session_id,
                                                  "certificate_id": certificate["id"], "level": 1})
        assert again.status_code == 409 and again.json()["code"] == "ticket.already_rated"
        sims.remove_card()
