"""Open311 GeoReport v2 against the running platform, by a client written from the spec, in JSON
and XML: discovery, services and definitions, filing with an api key staff issued (forged and
revoked keys refused), searching with filters and the default window, a list of one, tokens,
the spec's errors, privacy, and FixMyStreet's updates mirroring the workflow."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from support.platform_stack import Platform

from .open311_client import Open311Client, Open311Failure

COMMUNITY = "460107002001"
GRID_1 = "460107002001-01"
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


@pytest.fixture(scope="module")
def keys(platform: Platform) -> Iterator[dict[str, Any]]:
    """Api keys issued by staff: one for the community, one for grid 1, one revoked."""
    with platform.staff() as staff:
        issued = {name: staff.post("/api/staff/open311/keys", json={"name": f"o311-{name}", "org_code": org}).json()
                  for name, org in (("community", COMMUNITY), ("grid", GRID_1), ("revoked", COMMUNITY))}
        assert staff.delete(f"/api/staff/open311/keys/{issued['revoked']['id']}").json()["revoked_at"]
        listed = staff.get("/api/staff/open311/keys").json()
    assert {k["name"] for k in listed} >= {"o311-community", "o311-grid", "o311-revoked"}
    assert all("api_key" not in k and "key_hash" not in k for k in listed)  # shown once, stored hashed
    yield {name: key["api_key"] for name, key in issued.items()}


def client(platform: Platform, fmt: str, key: str | None = None) -> Open311Client:
    return Open311Client(platform.url + "/open311/v2", fmt=fmt, api_key=key)


def _file(platform: Platform, fmt: str, key: str, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"address_string": "府城街道桂林社区3号楼", "description": "三号楼东侧路灯不亮",
                              "phone": "13812345678", "first_name": "张", "last_name": "三", "email": "z@example.cn"}
    attributes = changes.pop("attributes", {"community": COMMUNITY, "building": "3", "unit": "2",
                                            "phrase": ["streetlight"]})
    (created,) = client(platform, fmt, key).post_request(changes.pop("service_code", "public_facilities"),
                                                         attributes=attributes, **(fields | changes))
    return created


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_services_and_definitions(platform: Platform, fmt: str) -> None:
    open311 = client(platform, fmt)
    discovery = open311.discovery()
    (endpoint,) = discovery["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"] and endpoint["url"].endswith("/open311/v2")
    services = open311.services()
    assert len(services) == 8 and services[0]["service_code"] == "property_repairs"
    assert services[0]["service_name"] == "物业维修" and str(services[0]["metadata"]) in ("True", "true")
    assert open311.services(locale="en")[0]["service_name"] == "Property and repairs"
    definition = open311.service_definition("safety_hazard")
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert list(attributes) == ["community", "building", "unit", "landmark", "phrase", "confidential"]
    assert attributes["community"]["datatype"] == "singlevaluelist"
    assert str(attributes["community"]["required"]) in ("True", "true")
    assert {"key": COMMUNITY, "name": "桂林社区"} in attributes["community"]["values"]
    assert attributes["phrase"]["datatype"] == "multivaluelist" and len(attributes["phrase"]["values"]) == 5
    with pytest.raises(Open311Failure) as unknown:
        open311.service_definition("weather")
    assert unknown.value.status == 404 and unknown.value.errors[0]["description"]
    expected_type = "text/xml" if fmt == "xml" else "application/json"
    assert open311.last_content_type.startswith(expected_type)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_file_two_requests_and_read_them_back(platform: Platform, keys: dict[str, str], fmt: str) -> None:
    first = _file(platform, fmt, keys["community"])
    second = _file(platform, fmt, keys["community"], description="路灯不亮 <script>alert(1)</script>",
                   attributes={"community": COMMUNITY, "landmark": "north_gate"})
    assert first["service_request_id"].startswith("GD-") and first["token"] and "预计" in first["service_notice"]
    open311 = client(platform, fmt)
    ids = f"{first['service_request_id']},{second['service_request_id']}"
    found = open311.get_requests(service_request_id=ids)
    assert isinstance(found, list) and {r["service_request_id"] for r in found} == set(ids.split(","))
    raw = open311.last_text
    for secret in ("13812345678", "张", "z@example.cn"):
        assert secret not in raw  # never a name, phone or ID number
    if fmt == "xml":
        assert "&lt;script&gt;" in raw and "<script>" not in raw  # escaped, and read back as typed
    by_id = {r["service_request_id"]: r for r in found}
    assert by_id[second["service_request_id"]]["description"] == "路灯不亮 <script>alert(1)</script>"
    request = by_id[first["service_request_id"]]
    assert request["status"] == "open" and request["service_code"] == "public_facilities"
    assert request["address"] == "3号楼2单元" and request["agency_responsible"] == "桂林社区"
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert OFFSET.match(request[name]), request[name]
    (one,) = open311.get_request(first["service_request_id"])  # a list of one, in XML too
    assert one["service_request_id"] == first["service_request_id"]
    (token,) = open311.get_token(first["token"])
    assert token["service_request_id"] == first["service_request_id"]
    window = open311.get_requests(service_code="public_facilities", status="open")
    assert set(ids.split(",")) <= {r["service_request_id"] for r in window}  # the default 90 days
    assert not open311.get_requests(service_code="praise", status="closed")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_confidential_requests_are_never_public(platform: Platform, keys: dict[str, str], fmt: str) -> None:
    secret = _file(platform, fmt, keys["community"], description="举报楼道电动车充电，请保密",
                   service_code="safety_hazard",
                   attributes={"community": COMMUNITY, "building": "5", "confidential": "true"})
    open311 = client(platform, fmt)
    with pytest.raises(Open311Failure) as hidden:
        open311.get_request(secret["service_request_id"])
    assert hidden.value.status == 404
    listed = open311.get_requests(service_code="safety_hazard")
    assert secret["service_request_id"] not in {r["service_request_id"] for r in listed}
    assert secret["service_request_id"] not in {u["service_request_id"] for u in open311.get_updates()}


BAD_POSTS = [
    ({"service_code": ""}, 400),
    ({"service_code": "weather"}, 400),
    ({"attributes": {"building": "3"}}, 400),  # attribute[community] is required
    ({"attributes": {"community": "999999999999"}}, 400),
    ({"address_string": ""}, 400),  # no location at all
    ({"address_string": "", "lat": "39.9", "long": "500"}, 400),
    ({"phone": "12345"}, 400),
    ({"phone": "", "service_code": "property_repairs"}, 400),  # this service needs a phone number
    ({"description": "bell\u0007"}, 400),
    ({"description": "灯" * 4001}, 400),
    ({"attributes": {"community": COMMUNITY, "phrase": ["gas_smell"]}}, 400),  # not this service's phrase
    ({"attributes": {"community": COMMUNITY, "landmark": "moon"}}, 400),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_posts_get_the_spec_errors(platform: Platform, keys: dict[str, str], fmt: str) -> None:
    for key, status in [(None, 403), ("o311_forged-forged-forged", 403), (keys["revoked"], 403), ("", 403)]:
        with pytest.raises(Open311Failure) as refused:
            _file(platform, fmt, key or "") if key is not None else client(platform, fmt).post_request(
                "public_facilities", attributes={"community": COMMUNITY}, address_string="x", description="y")
        assert refused.value.status == status
        assert isinstance(refused.value.errors, list) and {"code", "description"} <= set(refused.value.errors[0])
    before = len(client(platform, fmt).get_requests())
    for changes, status in BAD_POSTS:
        with pytest.raises(Open311Failure) as refused:
            _file(platform, fmt, keys["community"], **dict(changes))
        assert refused.value.status == status, changes
        assert str(refused.value.errors[0]["code"]) == str(status)
    assert len(client(platform, fmt).get_requests()) == before  # nothing was filed
    for params in ({"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
                   {"start_date": "yesterday"}, {"status": "lost"}):
        with pytest.raises(Open311Failure) as refused:
            client(platform, fmt).get_requests(**params)
        assert refused.value.status == 400
    with pytest.raises(Open311Failure) as missing:
        client(platform, fmt).get_request("GD-000000-000000-API-0000")
    assert missing.value.status == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_updates_mirror_the_workflow_both_ways(platform: Platform, keys: dict[str, str], fmt: str) -> None:
    ticket_no = _file(platform, fmt, keys["community"], service_code="property_repairs",
                      description="3号楼2单元楼道灯不亮，电话13900001111",
                      attributes={"community": COMMUNITY, "building": "3", "phrase": ["stair_light"]}
                      )["service_request_id"]
    platform.ticket_action(ticket_no, "classify", {"category": "property_repairs", "grade": "normal"})
    platform.ticket_action(ticket_no, "dispatch", {"unit": GRID_1, "role": "grid_worker"})
    grid = client(platform, fmt, keys["grid"])
    (signed,) = grid.post_update(service_request_id=ticket_no, status="IN_PROGRESS", description="已接单")
    assert signed["update_id"]
    with pytest.raises(Open311Failure) as not_theirs:  # the community's key cannot sign for the grid
        client(platform, fmt, keys["community"]).post_update(service_request_id=ticket_no, status="TELEPORTED")
    assert not_theirs.value.status == 400
    grid.post_update(service_request_id=ticket_no, status="FIXED", description="已更换灯泡")  # its reply
    with pytest.raises(Open311Failure) as not_the_grids:  # the coordinating community closes it
        grid.post_update(service_request_id=ticket_no, status="FIXED", description="again")
    assert not_the_grids.value.status == 403
    client(platform, fmt, keys["community"]).post_update(service_request_id=ticket_no, status="fixed")
    with pytest.raises(Open311Failure) as closed:  # closed: the resident rates it next
        client(platform, fmt, keys["community"]).post_update(service_request_id=ticket_no, status="FIXED")
    assert closed.value.status == 400
    updates = [u for u in client(platform, fmt).get_updates() if u["service_request_id"] == ticket_no]
    assert [u["status"] for u in updates] == ["open", "investigating", "action_scheduled", "in_progress",
                                              "in_progress", "fixed"]
    assert updates[-2]["description"] == "答复：已更换灯泡" and OFFSET.match(updates[-1]["updated_datetime"])
    assert "13900001111" not in client(platform, fmt).last_text  # a number typed in the text is masked
    (request,) = client(platform, fmt).get_request(ticket_no)
    assert request["status"] == "closed" and "139****1111" in request["description"]
    with platform.staff() as staff:
        detail = staff.get(f"/api/staff/tickets/{ticket_no}").json()
    assert [h["actor"] for h in detail["history"]][-3:] == ["api:o311-grid", "api:o311-grid", "api:o311-community"]
    assert detail["state"] == "closed" and detail["closure"] == "resolved"
