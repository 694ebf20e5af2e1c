"""Alerts reach channels through the outbox and the worker: the real webhook and robot formats on
loopback receivers, grouping, resolved once, silences, quiet hours, rota, escalation, retries and
the claim that lets several workers send each delivery once — all on a frozen clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from backend.platform.db.fleet_models import Alert
from backend.platform.db.notify_models import NotificationDelivery, NotificationEvent
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services import alerts
from backend.platform.services.notify import channels as channel_service
from backend.platform.services.notify.dispatch import escalate_due, shift_covers
from backend.platform.services.notify.robots import dingtalk_sign, feishu_sign
from backend.platform.services.notify.webhook import verify
from backend.platform.services.notify.worker import claim_deliveries, route_outbox
from support.receivers import receiver

from .conftest import COMMUNITY, NOW, enrolled

STREET, DISTRICT = "460107002", "460107"


def _channel(runtime: PlatformRuntime, *, kind: str = "webhook", target: str, area: str = STREET,
             secret: str = "s3cret", min_severity: str = "warning") -> int:
    with write_transaction(runtime.db) as session:
        return channel_service.create_channel(
            session, staff_org=DISTRICT, by="admin", now=runtime.clock.now(), name=f"{kind} {area}", kind=kind,
            target=target, secret=secret, area_code=area, min_severity=min_severity).id


def _set(runtime: PlatformRuntime, station: str, kind: str, active: bool) -> None:
    with write_transaction(runtime.db) as session:
        alerts.set_alert(session, station_id=station, kind=kind, active=active, detail="test",
                         now=runtime.clock.now(), notes=[])


def _work(runtime: PlatformRuntime, seconds: float = 3) -> None:
    """Route the outbox now, let the group wait (or ``seconds``) pass, then send what is due."""
    runtime.notifier.run_once(runtime.clock.now())
    runtime.clock.advance(seconds=seconds)  # type: ignore[attr-defined]
    while runtime.notifier.run_once(runtime.clock.now()):
        pass


def _escalate(runtime: PlatformRuntime) -> None:
    """The sweep's escalation step alone (the whole sweep would also find the test station silent)."""
    with write_transaction(runtime.db) as session:
        escalate_due(session, policy=runtime.notifier.policy, now=runtime.clock.now())


def _deliveries(runtime: PlatformRuntime) -> list[tuple[str, str, int]]:
    with runtime.db() as session:
        rows = session.scalars(select(NotificationDelivery).order_by(NotificationDelivery.id))
        return [(d.kind, d.state, d.attempts) for d in rows]


def test_outbox_row_is_written_with_the_alert(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _set(runtime, "st-01", alerts.PAPER_OUT, True)
    with runtime.db() as session:
        events = [(e.kind, e.dedup_id) for e in session.scalars(select(NotificationEvent))]
        alert_id = session.scalars(select(Alert.id)).one()
    assert events == [("firing", f"alert:{alert_id}:firing")]


def test_webhook_fires_signed_then_resolves_once(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as hook:
        _channel(runtime, target=hook.url + "/hook")
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
        assert len(hook.received) == 1
        firing = hook.received[0]
        assert verify("s3cret", firing.headers, firing.body, now=int(runtime.clock.now().timestamp()))
        body = firing.json()
        assert {k: body[k] for k in ("kind", "severity", "state")} == {
            "kind": "printer_paper_out", "severity": "critical", "state": "firing"}
        assert body["station"] == {"id": "st-01", "name": "st-01", "community_code": COMMUNITY}
        assert body["area_path"] == [DISTRICT, STREET, COMMUNITY]
        assert body["console_url"].endswith(f"/console/alerts/{body['id']}/acknowledge")
        assert body["resolved_at"] is None and body["summary"]["zh"] and body["summary"]["en"]
        assert firing.headers["X-Kiosk-Delivery"] == body["dedup_id"]
        _work(runtime)  # nothing new: nothing sent again
        assert len(hook.received) == 1
        _set(runtime, "st-01", alerts.PAPER_OUT, False)
        _work(runtime)
        _work(runtime)
        assert [r.json()["state"] for r in hook.received] == ["firing", "resolved"]
        assert hook.received[1].json()["resolved_at"] is not None
    assert _deliveries(runtime) == [("firing", "sent", 1), ("resolved", "sent", 1)]


def test_twenty_offline_in_one_street_is_one_message(runtime: PlatformRuntime) -> None:
    for n in range(1, 6):
        enrolled(runtime, f"st-0{n}", f"S0{n}")
    with receiver() as hook:
        _channel(runtime, target=hook.url)
        for n in range(1, 6):
            _set(runtime, f"st-0{n}", alerts.OFFLINE, True)
        _work(runtime)
        assert len(hook.received) == 1
        body = hook.received[0].json()
        assert len(body["alerts"]) == 5 and "5" in body["summary"]["en"]
        for n in range(1, 5):
            _set(runtime, f"st-0{n}", alerts.OFFLINE, False)
            _work(runtime)
        assert len(hook.received) == 1  # one station still down: the group is not over
        _set(runtime, "st-05", alerts.OFFLINE, False)
        _work(runtime)
        assert [r.json()["state"] for r in hook.received] == ["firing", "resolved"]


def test_channel_hears_its_area_and_below_at_its_severity(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as critical_only, receiver() as other_street:
        _channel(runtime, target=critical_only.url, min_severity="critical")
        _channel(runtime, target=other_street.url, area="460107001")
        _set(runtime, "st-01", alerts.CLOCK_SKEW, True)  # a warning
        _work(runtime)
        assert critical_only.received == [] and other_street.received == []


def test_silence_records_but_does_not_send(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as hook:
        _channel(runtime, target=hook.url)
        with write_transaction(runtime.db) as session:
            channel_service.add_silence(session, staff_org=DISTRICT, by="admin", now=runtime.clock.now(),
                                        minutes=60, station_id="st-01", area_code=None, reason="maintenance",
                                        station_area=COMMUNITY)
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
        assert hook.received == []
    assert _deliveries(runtime) == [("firing", "silenced", 0)]


def test_quiet_hours_hold_warnings_until_morning(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    runtime.clock.advance(hours=7)  # type: ignore[attr-defined]  # 23:00 in Haikou
    with receiver() as hook:
        _channel(runtime, target=hook.url)
        _set(runtime, "st-01", alerts.CLOCK_SKEW, True)  # warning: held
        _set(runtime, "st-01", alerts.PAPER_OUT, True)  # critical: never held
        _work(runtime)
        assert [r.json()["kind"] for r in hook.received] == ["printer_paper_out"]
        _work(runtime, seconds=8 * 3600)  # 07:00 local
        assert [r.json()["kind"] for r in hook.received] == ["printer_paper_out", "clock_skew"]


def test_rota_shifts_follow_local_time_and_holidays() -> None:
    def local(text: str) -> datetime:
        return datetime.fromisoformat(text)

    day = (time(9), time(18))
    assert shift_covers("workday", *day, local("2026-11-26T10:00"), None)  # a Thursday
    assert not shift_covers("workday", *day, local("2026-11-28T10:00"), None)  # a Saturday
    assert shift_covers("holiday", *day, local("2026-11-28T10:00"), None)
    night = (time(18), time(9))
    assert shift_covers("workday", *night, local("2026-11-27T03:00"), None)  # Thursday's night shift
    assert not shift_covers("workday", *night, local("2026-11-29T03:00"), None)  # Saturday's night


def test_rota_keeps_off_duty_channel_quiet(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as hook:
        channel_id = _channel(runtime, target=hook.url)
        with write_transaction(runtime.db) as session:  # 16:00 local now: the shift is the morning
            channel_service.add_shift(session, staff_org=DISTRICT, channel_id=channel_id, days="any",
                                      starts=time(8), ends=time(12))
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
        assert hook.received == []


def test_unacknowledged_critical_escalates_a_level_each_fifteen_minutes(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as community, receiver() as street, receiver() as district:
        _channel(runtime, target=community.url, area=COMMUNITY)
        _channel(runtime, target=street.url, area=STREET, min_severity="critical")
        _channel(runtime, target=district.url, area=DISTRICT, min_severity="critical")
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
        assert [len(r.received) for r in (community, street, district)] == [1, 1, 1]
        runtime.clock.advance(minutes=15)  # type: ignore[attr-defined]
        _escalate(runtime)
        _work(runtime)
        assert street.received[-1].json()["notification"] == "escalation"
        assert [len(r.received) for r in (community, street, district)] == [1, 2, 1]
        runtime.clock.advance(minutes=15)  # type: ignore[attr-defined]
        _escalate(runtime)
        _work(runtime)
        assert [len(r.received) for r in (community, street, district)] == [1, 2, 2]
        runtime.clock.advance(minutes=15)  # type: ignore[attr-defined]
        _escalate(runtime)
        _work(runtime)  # the district is the top: nothing further
        assert [len(r.received) for r in (community, street, district)] == [1, 2, 2]


def test_acknowledged_critical_does_not_escalate(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as street:
        _channel(runtime, target=street.url, area=STREET, min_severity="critical")
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
        with write_transaction(runtime.db) as session:
            alert_id = session.scalars(select(Alert.id)).one()
            alerts.acknowledge(session, alert_id=alert_id, by="admin", now=runtime.clock.now(),
                               station_ids=["st-01"])
        runtime.clock.advance(minutes=16)  # type: ignore[attr-defined]
        _escalate(runtime)
        _work(runtime)
        assert len(street.received) == 1


def test_failed_delivery_backs_off_and_succeeds_later(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver(status=503) as hook:
        _channel(runtime, target=hook.url)
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
        assert _deliveries(runtime) == [("firing", "pending", 1)]
        _work(runtime, seconds=1)  # the backoff (2 s) has not passed
        assert len(hook.received) == 1
        hook.status = 200
        _work(runtime, seconds=2)
        assert len(hook.received) == 2
        assert hook.received[0].json()["dedup_id"] == hook.received[1].json()["dedup_id"]
    assert _deliveries(runtime) == [("firing", "sent", 2)]


def test_channel_rate_limit_holds_the_rest_of_the_minute(runtime: PlatformRuntime) -> None:
    for n in range(1, 4):
        enrolled(runtime, f"st-0{n}", f"S0{n}")
    with receiver() as hook:
        channel_id = _channel(runtime, target=hook.url)
        with write_transaction(runtime.db) as session:
            from backend.platform.db.notify_models import NotificationChannel

            channel = session.get(NotificationChannel, channel_id)
            assert channel is not None
            channel.rate_per_minute = 2
        for n, kind in enumerate((alerts.PAPER_OUT, alerts.JAMMED, alerts.DISK_FULL), start=1):
            _set(runtime, f"st-0{n}", kind, True)  # three causes: three messages
        _work(runtime)
        assert len(hook.received) == 2
        _work(runtime, seconds=61)
        assert len(hook.received) == 3


def test_two_workers_never_claim_the_same_delivery(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as hook:
        _channel(runtime, target=hook.url)
        _channel(runtime, target=hook.url + "/second")
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        route_outbox(runtime.db, policy=runtime.notifier.policy, now=runtime.clock.now())
        route_outbox(runtime.db, policy=runtime.notifier.policy, now=runtime.clock.now())  # a second worker
        runtime.clock.advance(seconds=3)  # type: ignore[attr-defined]
        first_session, second_session = runtime.db(), runtime.db()
        with first_session.begin():
            first = claim_deliveries(first_session, now=runtime.clock.now(), limit=1)
        with second_session.begin():
            second = claim_deliveries(second_session, now=runtime.clock.now())
        with runtime.db.begin() as third:
            third_claim = claim_deliveries(third, now=runtime.clock.now())
        first_session.close()
        second_session.close()
    assert len(first) == 1 and len(second) == 1 and set(first).isdisjoint(second) and third_claim == []


def test_robots_get_their_vendor_format_and_signature(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as wecom, receiver() as dingtalk, receiver(answer={"code": 0}) as feishu:
        _channel(runtime, kind="wecom", target=wecom.url + "/cgi-bin/webhook/send?key=abc", secret="")
        _channel(runtime, kind="dingtalk", target=dingtalk.url + "/robot/send?access_token=t", secret="SECabc")
        _channel(runtime, kind="feishu", target=feishu.url + "/open-apis/bot/v2/hook/x", secret="fs")
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
        sent_at = int(runtime.clock.now().timestamp())
        wecom_body = wecom.received[0].json()
        assert wecom_body["msgtype"] == "markdown" and "打印机缺纸" in wecom_body["markdown"]["content"]
        query = parse_qs(urlsplit(dingtalk.received[0].path).query)
        assert query["timestamp"] == [str(sent_at * 1000)]
        assert query["sign"] == [json.loads(json.dumps(dingtalk_sign("SECabc", sent_at * 1000)))
                                 .replace("%2B", "+").replace("%2F", "/").replace("%3D", "=")]
        assert dingtalk.received[0].json()["msgtype"] == "markdown"
        feishu_body = feishu.received[0].json()
        assert feishu_body["timestamp"] == str(sent_at) and feishu_body["sign"] == feishu_sign("fs", sent_at)
        assert feishu_body["msg_type"] == "text" and "printer out of paper" in feishu_body["content"]["text"]


def test_robot_refusal_in_the_body_is_a_failure(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver(answer={"errcode": 310000, "errmsg": "sign not match"}) as dingtalk:
        _channel(runtime, kind="dingtalk", target=dingtalk.url + "/robot/send?access_token=t", secret="x")
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
    with runtime.db() as session:
        delivery = session.scalars(select(NotificationDelivery)).one()
        assert (delivery.state, "310000" in delivery.last_error) == ("pending", True)


def test_messages_hold_no_resident_data(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as hook:
        _channel(runtime, target=hook.url)
        with write_transaction(runtime.db) as session:
            alerts.set_alert(session, station_id="st-01", kind=alerts.PART_DOWN, active=True,
                             detail="ui: crashed on 460107199001011232 phone 13812345678",
                             now=runtime.clock.now(), notes=[])
        _work(runtime)
        text = hook.received[0].body.decode()
    assert "460107199001011232" not in text and "13812345678" not in text


def test_test_message_goes_to_its_channel_only(runtime: PlatformRuntime) -> None:
    with receiver() as hook, receiver() as other:
        channel_id = _channel(runtime, target=hook.url)
        _channel(runtime, target=other.url)
        with write_transaction(runtime.db) as session:
            channel_service.test_channel(session, staff_org=DISTRICT, channel_id=channel_id, by="admin",
                                         now=runtime.clock.now())
        _work(runtime)
        assert [r.json()["notification"] for r in hook.received] == ["test"] and other.received == []


def test_ticket_deadline_warning_reaches_the_assignees_channels(runtime: PlatformRuntime) -> None:
    from backend.platform.services.notify import outbox

    with receiver() as hook:
        _channel(runtime, target=hook.url, area=COMMUNITY)
        with write_transaction(runtime.db) as session:
            outbox.enqueue(session, dedup_id="ticket:T1:reply:warning", kind="ticket", now=runtime.clock.now(),
                           payload={"ticket_no": "T1", "assignee": COMMUNITY, "community_code": COMMUNITY,
                                    "due": (NOW + timedelta(hours=4)).isoformat()})
        _work(runtime)
        body = hook.received[0].json()
    assert body["notification"] == "ticket" and "T1" in body["summary"]["en"]


def test_delivery_log_lists_channel_result_and_attempts(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    with receiver() as hook:
        _channel(runtime, target=hook.url)
        _set(runtime, "st-01", alerts.PAPER_OUT, True)
        _work(runtime)
    with runtime.db() as session:
        alert_id = session.scalars(select(Alert.id)).one()
        log = channel_service.delivery_log(session, alert_id=alert_id)
    assert [(e["channel"]["kind"], e["state"], e["attempts"]) for e in log] == [("webhook", "sent", 1)]
    assert log[0]["sent_at"] is not None and datetime.fromisoformat(log[0]["sent_at"]).tzinfo == UTC


def test_default_settings_notice_a_killed_station_within_a_minute() -> None:
    """The bound from kill -9 to the first message: silence long enough to be offline, the sweep
    that notices it, the group wait and the worker's poll (the end-to-end test measures it)."""
    from backend.platform.settings import PlatformSettings

    defaults = PlatformSettings()
    bound = (defaults.offline_after_seconds + defaults.sweep_seconds + defaults.notify_group_wait_seconds
             + defaults.notify_poll_seconds)
    assert bound <= 60 and defaults.offline_after_seconds > 2 * defaults.heartbeat_seconds
