"""What a notification says: the alert (or group of alerts) in zh and en, scrubbed of resident data.

Messages are built at send time from the database, so a grouped message lists every alert that
joined it while it waited, and a resolved message says when the last of them cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from backend.shared import localtime
from backend.shared.redact import scrub

from .webhook import AlertMessage, State, StationRef

# Alert severities (CUSS words) as channels count them.
CHANNEL_SEVERITY = {"ALARM": "critical", "WARNING": "warning", "NORMAL": "info"}

KIND_WORDS = {
    "station_offline": ("服务站离线", "station offline"),
    "printer_paper_out": ("打印机缺纸", "printer out of paper"),
    "printer_jammed": ("打印机卡纸", "printer jammed"),
    "outbox_growing": ("待上传数据积压", "outbox backlog growing"),
    "printing_failing": ("证明打印连续失败", "certificate printing failing"),
    "disk_low": ("磁盘空间不足", "disk space low"),
    "disk_full": ("磁盘已满", "disk full"),
    "clock_skew": ("时钟偏差", "clock skew"),
    "part_out_of_service": ("服务站部件停止服务", "a station process is out of service"),
}


def channel_severity(alert_severity: str) -> str:
    """The alert's severity in the channels' words (info, warning, critical)."""
    return CHANNEL_SEVERITY.get(alert_severity, "info")


@dataclass(frozen=True)
class Notice:
    """One message to send: the main alert, the others grouped with it, and the words."""

    dedup_id: str
    kind: str  # firing | resolved | escalation | ticket | test
    title_zh: str
    title_en: str
    lines: list[str]
    ack_url: str
    alert: AlertMessage | None = None  # the first alert (the webhook body's subject)
    grouped: list[dict[str, Any]] = field(default_factory=list)
    severity: str = "warning"

    def text(self, language: str = "zh") -> str:
        """Plain text for robots, e-mail and logs (both languages; zh first by default)."""
        titles = [self.title_zh, self.title_en] if language == "zh" else [self.title_en, self.title_zh]
        parts = [" / ".join(titles), *self.lines]
        if self.ack_url:
            parts.append(f"确认 Acknowledge: {self.ack_url}")
        return scrub("\n".join(parts))

    def markdown(self) -> str:
        """Markdown for WeCom and DingTalk robots."""
        body = "\n".join(f"> {line}" for line in self.lines)
        link = f"\n[确认 Acknowledge]({self.ack_url})" if self.ack_url else ""
        return scrub(f"### {self.title_zh} / {self.title_en}\n{body}{link}")


def alert_words(kind: str) -> tuple[str, str]:
    return KIND_WORDS.get(kind, (kind, kind.replace("_", " ")))


def alert_message(*, alert: Any, station: Any, area_path: list[str], state: State,
                  console_url: str, count: int) -> AlertMessage:
    """The webhook's subject: one alert, with the size of its group in the summary."""
    zh, en = alert_words(alert.kind)
    place = f"{station.name} ({station.id})"
    summary_zh = f"{place}：{zh}" + (f"，同一街道共 {count} 台" if count > 1 else "")
    summary_en = f"{place}: {en}" + (f", {count} stations in the same street" if count > 1 else "")
    if state == "resolved":
        summary_zh, summary_en = "已恢复 " + summary_zh, "resolved: " + summary_en
    return AlertMessage(
        id=str(alert.id), kind=alert.kind, severity=channel_severity(alert.severity), state=state,
        station=StationRef(station.id, station.name, station.community_code), area_path=area_path,
        summary_zh=scrub(summary_zh), summary_en=scrub(summary_en), started_at=alert.opened_at,
        resolved_at=alert.resolved_at if state == "resolved" else None, console_url=console_url)


def titles(kind: str, first: AlertMessage | None, count: int) -> tuple[str, str]:
    """The message's title for each kind of notice."""
    if first is None:
        return "通知", "Notice"
    zh, en = alert_words(first.kind)
    many_zh, many_en = (f"（{count} 台）", f" ({count} stations)") if count > 1 else ("", "")
    if kind == "resolved":
        return f"【已恢复】{zh}{many_zh}", f"[Resolved] {en}{many_en}"
    if kind == "escalation":
        return f"【升级·未确认】{zh}", f"[Escalated, not acknowledged] {en}"
    level = {"critical": "紧急", "warning": "警告"}.get(first.severity, "提示")
    return f"【{level}】{zh}{many_zh}", f"[{first.severity}] {en}{many_en}"


def when(moment: datetime | None) -> str:
    """A moment as the district's staff read it."""
    return localtime.local_text(moment) if moment else ""
