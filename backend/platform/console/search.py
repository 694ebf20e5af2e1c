"""Search and filters for the console's lists, read from the page's query string and written
back into links, so a link (or an export) reproduces exactly the view the person saw.

Tickets are searched here, on top of the staff API's own visibility rule (a unit's staff see their
unit's tickets, nothing else); alerts and certificates filter what the staff API already limits to
the viewer's area. A phone is matched through its mask (the full number is sealed at rest): the
last four digits, or a whole number masked the same way.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, or_, select

from backend.shared import localtime
from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.text import mask_phone

from ..db.ticket_models import Ticket
from ..runtime import PlatformRuntime
from ..services.tickets import views
from ..services.tickets.access import Actor
from ..services.tickets.figures import visible
from ..services.tickets.tree import TicketTree

STATES = ("received", "classified", "dispatched", "returned", "arbitration", "in_progress", "replied",
          "closed", "rectifying", "rated")
LIMIT = 500
_DIGITS = re.compile(r"\d+")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


@dataclass(frozen=True)
class TicketFilter:
    """What the tickets page was asked for; unknown or malformed values are ignored, never an error."""

    number: str = ""
    text: str = ""
    phone: str = ""
    category: str = ""
    unit: str = ""
    station: str = ""
    since: str = ""  # a local date, YYYY-MM-DD
    until: str = ""
    state: str = ""
    overdue: bool = False

    @classmethod
    def of(cls, params: Any) -> TicketFilter:
        """Read the filter from query parameters (a mapping of strings)."""
        given = {f.name: str(params.get(f.name, "") or "")[:64].strip() for f in fields(cls)}
        return cls(number=given["number"], text=given["text"], phone=given["phone"],
                   category=given["category"], unit=given["unit"], station=given["station"],
                   since=str(_day(given["since"]) or ""), until=str(_day(given["until"]) or ""),
                   state=given["state"] if given["state"] in STATES else "",
                   overdue=given["overdue"] in ("true", "1", "on"))

    def query(self) -> str:
        """The filter as a query string (only what is set), for links and exports."""
        pairs = {k: ("true" if v is True else v) for k, v in asdict(self).items() if v}
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return bool(self.query())


def _window(f: TicketFilter) -> tuple[datetime | None, datetime | None]:
    zone = localtime.zone()
    since, until = _day(f.since), _day(f.until)
    start = datetime.combine(since, time(), zone) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), zone) if until else None
    return start, end


def _phone_clause(phone: str) -> Any:
    digits = "".join(_DIGITS.findall(phone))
    if len(digits) >= 7:  # a whole number: compare its mask
        return Ticket.phone_masked == mask_phone(digits)
    if len(digits) >= 3:
        return Ticket.phone_masked.endswith(digits, autoescape=True)
    return Ticket.phone_masked == "\x00"  # too short to mean anything: nothing matches


def filtered(query: Select[Any], f: TicketFilter) -> Select[Any]:
    """Narrow a ticket query by the filter."""
    exact = {Ticket.state: f.state, Ticket.category: f.category, Ticket.assigned_unit: f.unit,
             Ticket.station_id: f.station}
    for column, value in exact.items():
        if value:
            query = query.where(column == value)
    if f.number:
        query = query.where(Ticket.ticket_no.contains(f.number, autoescape=True))
    if f.text:
        query = query.where(or_(Ticket.description.contains(f.text, autoescape=True),
                                Ticket.free_text.contains(f.text, autoescape=True),
                                Ticket.building.contains(f.text, autoescape=True)))
    if f.phone:
        query = query.where(_phone_clause(f.phone))
    start, end = _window(f)
    if start:
        query = query.where(Ticket.received_at >= start)
    if end:
        query = query.where(Ticket.received_at < end)
    return query


def find_tickets(staff: Any, runtime: PlatformRuntime, config: TicketConfig, f: TicketFilter,
                 limit: int = LIMIT) -> list[dict[str, Any]]:
    """The tickets the user's unit may see that match, newest first, as the list shows them."""
    now = runtime.clock.now()
    with runtime.db() as session:
        tree = TicketTree(session)
        query = filtered(visible(select(Ticket), Actor.of_staff(staff, tree), tree), f)
        rows = session.scalars(query.order_by(Ticket.received_at.desc()).limit(limit))
        items = [views.list_item(t, tree=tree, config=config, now=now) | _extra(t) for t in rows]
    return [i for i in items if not f.overdue or (i["deadline"] or {}).get("overdue")]


def _extra(ticket: Ticket) -> dict[str, Any]:
    """What the list, the map and the exports need beyond the staff API's list item."""
    return {"station_id": ticket.station_id, "phone_masked": ticket.phone_masked, "lat": ticket.lat,
            "lon": ticket.lon, "description": "" if ticket.confidential else ticket.description}


@dataclass(frozen=True)
class AlertFilter:
    """Alerts: open or resolved, one station, one kind, acknowledged or not, words in the detail."""

    show: str = "open"
    station: str = ""
    kind: str = ""
    severity: str = ""
    text: str = ""

    @classmethod
    def of(cls, params: Any) -> AlertFilter:
        given = {f.name: str(params.get(f.name, "") or "")[:64].strip() for f in fields(cls)}
        show = given["show"] if given["show"] in ("open", "resolved", "all") else "open"
        severity = given["severity"] if given["severity"] in ("ALARM", "WARNING") else ""
        return cls(**(given | {"show": show, "severity": severity}))

    def query(self) -> str:
        return urlencode({k: v for k, v in asdict(self).items() if v})

    def keep(self, alert: dict[str, Any]) -> bool:
        if self.show == "resolved" and not alert.get("resolved_at"):
            return False
        checks = ((self.station, alert.get("station_id")), (self.kind, alert.get("kind")),
                  (self.severity, alert.get("severity")))
        if any(want and want != have for want, have in checks):
            return False
        return not self.text or self.text.lower() in str(alert.get("detail", "")).lower()
