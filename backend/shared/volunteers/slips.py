"""The text of the volunteers' and emergency slips, as the kiosk prints them (local times)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from backend.shared import localtime

from .config import VolunteerConfig


def hours_text(minutes: int) -> str:
    """Minutes as hours with one decimal: 90 → "1.5"."""
    return f"{minutes / 60:.1f}"


def duty_slip(
    *,
    config: VolunteerConfig,
    name: str,
    kind: str,
    started_at: datetime,
    ended_at: datetime | None,
    minutes: int,
    forgotten: bool,
) -> list[str]:
    """A duty's slip: on signing in (no end yet) and on signing out."""
    duty = config.duty(kind)
    lines = [
        "志愿服务签到" if ended_at is None else "志愿服务签退",
        f"志愿者：{name}",
        f"服务类型：{duty.zh if duty else kind}",
        f"签到时间：{localtime.local_text(started_at)}",
    ]
    if ended_at is not None:
        lines += [f"签退时间：{localtime.local_text(ended_at)}", f"服务时长：{hours_text(minutes)} 小时"]
        if forgotten:
            lines.append(f"（未签退，已于 {config.auto_close_hour}:00 自动结束）")
    return lines


def hours_slip(
    *,
    config: VolunteerConfig,
    name: str,
    month: str,
    duties: Iterable[tuple[str, datetime, datetime | None, int, bool]],
) -> list[str]:
    """A volunteer's own record of hours for a month: one line per duty and the total."""
    lines = ["志愿服务时长记录", f"志愿者：{name}", f"月份：{month}"]
    total, rows = 0, list(duties)
    for kind, start, end, minutes, forgotten in rows:
        duty = config.duty(kind)
        until = localtime.local_text(end, "%H:%M") if end else "进行中"
        mark = "*" if forgotten else ""
        lines.append(
            f"{localtime.local_text(start, '%m-%d %H:%M')}-{until} {duty.zh if duty else kind} "
            f"{hours_text(minutes)}h{mark}"
        )
        total += minutes
    lines.append(f"合计：{hours_text(total)} 小时")
    if any(row[4] for row in rows):
        lines.append("* 未签退，按设定时间自动结束")
    return lines


def need_slip(
    *,
    config: VolunteerConfig,
    need_no: str,
    kind: str,
    urgency: str,
    building: str,
    unit: str,
    submitted_at: datetime,
    offline: bool,
) -> list[str]:
    """The resident's slip for a registered need: the number to follow it and the hotline."""
    need, level = config.need(kind), config.urgency(urgency)
    lines = [
        "物资需求登记",
        f"编号：{need_no}",
        f"需求：{need.zh if need else kind}",
        f"紧急程度：{level.zh if level else urgency}",
        f"楼栋：{building}号楼{unit + '单元' if unit else ''}",
        f"登记时间：{localtime.local_text(submitted_at)}",
        "凭编号在服务站查询进度（已接单/已送达）",
        f"紧急求助热线：{config.hotline}",
    ]
    if offline:
        lines.append("（网络中断，已离线保存，恢复后自动上报）")
    return lines
