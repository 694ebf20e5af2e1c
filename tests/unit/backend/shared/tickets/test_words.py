"""What residents read about their request: plain words for each step, none for internal ones."""

from __future__ import annotations

import pytest

from backend.shared.tickets.config import TicketConfig, Words
from backend.shared.tickets.dispatch import Place
from backend.shared.tickets.words import history_words, place_words, state_words


def unit_name(code: str | None) -> Words:
    return Words(zh="桂林社区第一网格", en="Grid 1") if code else Words(zh="承办单位", en="the unit")


@pytest.mark.parametrize(("action", "detail", "zh", "en"), [
    ("submit", {}, "您的诉求已提交", "Your request was submitted"),
    ("classify", {"category": "property_repairs", "reply_due": "2026-12-03T10:00:00+00:00"},
     "已受理，归类为“物业维修”，预计2026年12月03日 18:00前答复",
     'Accepted as "Property and repairs"; a reply is expected by 2026-12-03 18:00'),
    ("dispatch", {"unit": "g1"}, "已派给桂林社区第一网格办理", "Sent to Grid 1"),
    ("sign", {"unit": "g1"}, "桂林社区第一网格已签收，正在办理", "Grid 1 has taken it on"),
    ("return", {"reason": "not_our_duty"}, "正在重新安排承办单位", "Finding the right unit to handle it"),
    ("approve_extension", {"approved": True, "due": "2026-12-08T10:00:00+00:00"},
     "办理期限延长至2026年12月08日 18:00", "The deadline was extended to 2026-12-08 18:00"),
    ("reply", {"text": "已修好"}, "答复：已修好", "Reply: 已修好"),
    ("close", {"outcome": "resolved"}, "已办结（已解决），欢迎评价", "Closed (Resolved); please rate it"),
    ("close", {"outcome": "unresolved"}, "已办结（未解决），欢迎评价", "Closed (Not resolved); please rate it"),
    ("rate", {"level": 2, "reopened": True, "rectify_due": "2026-12-19T01:00:00+00:00"},
     "评价“不满意”，已重新办理，2026年12月19日 09:00前整改",
     'Rated "Dissatisfied"; it is being handled again, by 2026-12-19 09:00'),
    ("rate", {"level": 5, "follow_up": True}, "追评：非常满意，谢谢", "Follow-up rating: Very satisfied. Thank you"),
])
def test_steps_in_plain_words(config: TicketConfig, action: str, detail: dict[str, object], zh: str, en: str) -> None:
    assert history_words(action, detail, config=config, unit_name=unit_name) == {"zh": zh, "en": en}


@pytest.mark.parametrize("action", ["escalate", "link", "request_extension", "reject_extension"])
def test_internal_steps_are_not_shown(config: TicketConfig, action: str) -> None:
    detail = {"approved": False} if action == "reject_extension" else {}
    assert history_words(action, detail, config=config, unit_name=unit_name) is None


def test_state_words() -> None:
    assert state_words("closed") == {"zh": "已办结，欢迎评价", "en": "Closed; please rate the service"}
    assert state_words("pending")["zh"] == "已保存在本机，联网后自动提交"


@pytest.mark.parametrize(("place", "zh", "en"), [
    (Place("building", "3", "2"), "3号楼2单元", "Building 3, unit 2"),
    (Place("building", "3"), "3号楼", "Building 3"),
    (Place("public", landmark="north_gate"), "公共区域：小区北门", "Public area: North gate"),
    (Place("public", landmark="nowhere"), "公共区域", "Public area"),
    (Place("public"), "公共区域", "Public area"),
    (Place("address", "海口市琼山区府城大道1号"), "海口市琼山区府城大道1号", "海口市琼山区府城大道1号"),
])
def test_place_in_words(config: TicketConfig, place: Place, zh: str, en: str) -> None:
    assert place_words(place, config, "460107002001") == Words(zh=zh, en=en)
