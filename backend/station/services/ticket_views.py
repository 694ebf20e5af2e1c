"""Tickets as the kiosk shows them (进度查询: state and history in plain words) and the slip it
prints after filing: number, category, expected reply time, the QR to follow it, and — when the
station is offline — that it will be sent when the network is back."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from backend.shared import localtime
from backend.shared.tickets import words
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.dispatch import Place
from backend.shared.tickets.words import PENDING, STATE_WORDS, state_words
from devices.printer.document import Cut, Document, Feed, KeyValue, Qr, Separator, Text, Title

from ..db.ticket_models import LocalTicket


def place_words(ticket: LocalTicket, config: TicketConfig, community: str) -> dict[str, str]:
    """Where the ticket is, in words (see backend.shared.tickets.words); empty without a place."""
    place = ticket.place or {}
    if not place:
        return {"zh": "", "en": ""}
    where = Place(str(place.get("kind")), str(place.get("building")), str(place.get("unit") or ""),
                  str(place.get("landmark") or ""))
    return words.place_words(where, config, community).as_dict()


def progress(ticket: LocalTicket, *, config: TicketConfig, community: str, sent: bool) -> dict[str, Any]:
    """A ticket's progress in plain words, from the local copy (works offline)."""
    category = config.category(ticket.category)
    status = ticket.status or {}
    history = [{"at": h["at"], "words": h["words"]} for h in status.get("history", [])]
    if not status:
        history = [{"at": localtime.iso_local(ticket.submitted_at), "words": {"zh": "您的诉求已提交",
                                                                    "en": "Your request was submitted"}}]
    return {
        "ticket_no": ticket.ticket_no,
        "category": ticket.category, "category_name": category.name.as_dict() if category else None,
        "place": place_words(ticket, config, community), "state": ticket.state,
        "status_words": state_words(ticket.state if ticket.state in STATE_WORDS else PENDING),
        "sent": sent, "submitted_at": localtime.iso_local(ticket.submitted_at),  # kiosk shows it as is
        "expected_reply_at": status.get("reply_due") or localtime.iso_local(ticket.expected_reply_at),
        "can_rate": bool(status.get("can_rate")), "follow_up": bool(status.get("follow_up")),
        "history": history,
    }


def _local(moment: datetime, timezone: ZoneInfo) -> str:
    return moment.astimezone(timezone).strftime("%Y-%m-%d %H:%M")


def ticket_slip(ticket: LocalTicket, *, config: TicketConfig, token: str, community: str,
                offline: bool, station_name: str) -> Document:
    """The slip a resident keeps: what, where, when to expect a reply, and the QR to follow it."""
    category = config.category(ticket.category)
    name = category.name if category else None
    place = place_words(ticket, config, community)
    tz = config.calendar.timezone
    offline_note = [Text("离线保存：联网后自动提交", bold=True),
                    Text("Saved offline: it will be sent when the network is back")] if offline else []
    return Document.of(
        Title("诉求回执"),
        Text("Request slip", align="center"),
        Separator(),
        Text("工单号 Ticket number"),
        Text(ticket.ticket_no, align="center", bold=True),  # 31 characters: one line on 58 mm paper
        KeyValue("类别", f"{name.zh} {name.en}" if name else ticket.category),
        KeyValue("地点", place["zh"]),
        KeyValue("提交时间", _local(ticket.submitted_at, tz)),
        KeyValue("预计答复", _local(ticket.expected_reply_at, tz)),
        *offline_note,
        Separator(),
        Text("扫描下方二维码可查询办理进度，办结后可评价。"),
        Text("Scan this code at any station to follow your request and rate it when it is done."),
        Feed(1),
        Qr(token, ec="Q"),
        Text("进度查询请扫此码 Scan to follow", align="center"),
        Text(station_name, align="center"),
        Feed(2),
        Cut(),
    )
