"""A ticket's progress in plain words for residents (zh and en), for the kiosk's 进度查询 and the
public side of Open311. Internal steps (escalations, links, extension requests, return reasons)
are not shown to residents; what they see is what happened to their request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .config import TicketConfig, Words
from .dispatch import Place

PENDING = "pending"  # at the station: saved, not yet sent to the platform

STATE_WORDS: dict[str, tuple[str, str]] = {
    PENDING: ("已保存在本机，联网后自动提交",
              "Saved at this kiosk; it will be sent when the network is back"),
    "received": ("已受理", "Received"),
    "classified": ("已受理，正在安排承办单位", "Received; a unit is being chosen"),
    "dispatched": ("已派给承办单位", "Sent to the unit that will handle it"),
    "returned": ("正在重新安排承办单位", "Finding the right unit to handle it"),
    "arbitration": ("正在重新安排承办单位", "Finding the right unit to handle it"),
    "in_progress": ("正在办理", "Being handled"),
    "replied": ("已答复", "Replied"),
    "closed": ("已办结，欢迎评价", "Closed; please rate the service"),
    "rectifying": ("根据您的评价重新办理中", "Being handled again after your rating"),
    "rated": ("已办结并评价", "Closed and rated"),
}


def state_words(state: str) -> dict[str, str]:
    zh, en = STATE_WORDS.get(state, (state, state))
    return {"zh": zh, "en": en}


def place_words(place: Place, config: TicketConfig, community: str) -> Words:
    """Where it is, in words: 3号楼2单元, a landmark, the public area, an address."""
    if place.kind == "building":
        unit = (f"{place.unit}单元", f", unit {place.unit}") if place.unit else ("", "")
        return Words(zh=f"{place.building}号楼{unit[0]}", en=f"Building {place.building}{unit[1]}")
    if place.kind == "address" and place.building:
        return Words(zh=place.building, en=place.building)
    landmark = config.landmark(community, place.landmark) if place.landmark else None
    if landmark:
        return Words(zh=f"公共区域：{landmark.zh}", en=f"Public area: {landmark.en}")
    return Words(zh="公共区域", en="Public area")


UnitName = Callable[[str | None], Words]


def history_words(action: str, detail: dict[str, Any], *, config: TicketConfig,
                  unit_name: UnitName) -> dict[str, str] | None:
    """What a step means to the resident, or None for steps residents do not see."""
    builder = _BUILDERS.get(action)
    return builder(detail, config, unit_name) if builder else None


def _date(text: str | None, config: TicketConfig) -> tuple[str, str]:
    if not text:
        return "", ""
    local = config.calendar.local(datetime.fromisoformat(text))
    return f"{local:%Y年%m月%d日 %H:%M}", f"{local:%Y-%m-%d %H:%M}"


def _submit(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    return {"zh": "您的诉求已提交", "en": "Your request was submitted"}


def _classify(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    category = c.category(str(d.get("category")))
    name = category.name if category else Words(zh="其他", en="other")
    zh_due, en_due = _date(d.get("reply_due"), c)
    return {"zh": f"已受理，归类为“{name.zh}”，预计{zh_due}前答复",
            "en": f"Accepted as \"{name.en}\"; a reply is expected by {en_due}"}


def _dispatch(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    unit = u(d.get("unit"))
    return {"zh": f"已派给{unit.zh}办理", "en": f"Sent to {unit.en}"}


def _sign(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    unit = u(d.get("unit"))
    return {"zh": f"{unit.zh}已签收，正在办理", "en": f"{unit.en} has taken it on"}


def _return(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    return {"zh": "正在重新安排承办单位", "en": "Finding the right unit to handle it"}


def _extension(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str] | None:
    if not d.get("approved"):
        return None
    zh_due, en_due = _date(d.get("due"), c)
    return {"zh": f"办理期限延长至{zh_due}", "en": f"The deadline was extended to {en_due}"}


def _reply(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    text = str(d.get("text", ""))
    return {"zh": f"答复：{text}", "en": f"Reply: {text}"}


def _close(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    outcome = c.policy.closures.get(str(d.get("outcome")))
    zh, en = (outcome.zh, outcome.en) if outcome else ("", "")
    return {"zh": f"已办结（{zh}），欢迎评价", "en": f"Closed ({en}); please rate it"}


def _rate(d: dict[str, Any], c: TicketConfig, u: UnitName) -> dict[str, str]:
    level = c.policy.ratings.levels.get(int(d.get("level", 0)))
    label = (level.zh, level.en) if level else ("", "")
    if d.get("reopened"):
        zh_due, en_due = _date(d.get("rectify_due"), c)
        return {"zh": f"评价“{label[0]}”，已重新办理，{zh_due}前整改",
                "en": f"Rated \"{label[1]}\"; it is being handled again, by {en_due}"}
    kind = ("追评", "Follow-up rating") if d.get("follow_up") else ("评价", "Rated")
    return {"zh": f"{kind[0]}：{label[0]}，谢谢", "en": f"{kind[1]}: {label[1]}. Thank you"}


_BUILDERS: dict[str, Callable[[dict[str, Any], TicketConfig, UnitName], dict[str, str] | None]] = {
    "submit": _submit, "classify": _classify, "dispatch": _dispatch, "sign": _sign,
    "return": _return, "approve_extension": _extension, "reply": _reply, "close": _close,
    "rate": _rate,
}
