"""The console's notification pages over plain HTTP: channels added, tested and deleted through
forms (the secret never shown again), silences added and ended, and the acknowledge link of a
message leading to sign-in first."""

from __future__ import annotations

import re

from support.platform_stack import ADMIN, Platform

from .test_console import _csrf, signed_in


def test_acknowledge_link_asks_to_sign_in_first(platform: Platform) -> None:
    import httpx

    answer = httpx.get(platform.url + "/console/alerts/1/acknowledge", follow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303)
    assert answer.headers["location"] == "/console/login?next=%2Fconsole%2Falerts%2F1%2Facknowledge"


def test_channels_and_silences_through_the_console(platform: Platform) -> None:
    client = signed_in(platform, ADMIN["username"], ADMIN["password"])
    try:
        page = client.get("/console/notifications")
        assert page.status_code == 200
        added = client.post("/console/notifications/channels", data={
            "csrf": _csrf(page.text), "name": "console-robot", "kind": "wecom",
            "target": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=very-secret-key",
            "secret": "console-secret", "area_code": "460107002", "min_severity": "critical"})
        assert (added.status_code, added.headers["location"]) == (303, "/console/notifications?done=done.channel_added")
        page = client.get("/console/notifications")
        assert "console-robot" in page.text
        assert "console-secret" not in page.text and "very-secret-key" not in page.text
        channel_id = re.search(r'data-channel="(\d+)"[^<]*<th scope="row">console-robot', page.text)
        assert channel_id, page.text
        tested = client.post(f"/console/notifications/channels/{channel_id.group(1)}/test",
                             data={"csrf": _csrf(page.text)})
        assert tested.headers["location"].endswith("done=done.test_queued")
        silenced = client.post("/console/notifications/silences", data={
            "csrf": _csrf(page.text), "area_code": "460107002004", "minutes": "30", "reason": "网络割接"})
        assert silenced.headers["location"].endswith("done=done.silenced")
        page = client.get("/console/notifications")
        assert "网络割接" in page.text
        silence_id = re.search(r'data-silence="(\d+)"', page.text)
        assert silence_id
        ended = client.post(f"/console/notifications/silences/{silence_id.group(1)}/end",
                            data={"csrf": _csrf(page.text)})
        assert ended.headers["location"].endswith("done=done.silence_ended")
        deleted = client.post(f"/console/notifications/channels/{channel_id.group(1)}/delete",
                              data={"csrf": _csrf(page.text)})
        assert deleted.headers["location"].endswith("done=done.channel_deleted")
        assert "console-robot" not in client.get("/console/notifications").text
        assert client.get("/console/alerts/999999").status_code == 404
    finally:
        client.close()
