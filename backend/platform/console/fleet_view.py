"""The fleet as the console shows it: one row per station, ranked worst first, filtered by area
and state. Health is said in words (offline, not serving, needs attention, OK) so nothing
depends on colour alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..db.area_models import OrgUnit
from ..db.certificate_models import CertificateRecord
from ..db.fleet_models import ComponentState, StationState
from ..db.ticket_models import Ticket
from ..services import fleet_service, org

HEALTH_ORDER = {"offline": 0, "down": 1, "attention": 2, "ok": 3, "new": 4}
STATE_FILTERS = ("all", "problem", "offline", "online", "suspended")
PAPER_BY_CODE = {"MEDIA_EMPTY": "out", "MEDIA_LOW": "low", "OK": "ok"}
PAPER_BY_LEVEL = {"ok": "ok", "low": "low", "empty": "out"}


@dataclass
class Part:
    """A component as a fleet cell shows it."""

    state: str = ""
    code: str = ""
    simulated: bool = False

    @property
    def ok(self) -> bool:
        return self.code == "OK" and self.state in ("READY", "BUSY")


@dataclass
class FleetRow:
    summary: dict[str, Any]
    community_name: dict[str, str]
    parts: dict[str, Part] = field(default_factory=dict)
    certificates_today: int = 0
    requests_today: int = 0

    @property
    def id(self) -> str:
        return str(self.summary["id"])

    def part(self, name: str) -> Part:
        """A component's cell (empty when the station never reported it)."""
        return self.parts.get(name, Part())

    @property
    def printer(self) -> Part:
        return self.part("printer")

    @property
    def paper(self) -> str:
        """ok, low, out or unknown: the printer's own code first, else the heartbeat's level."""
        if self.printer.code in PAPER_BY_CODE:
            return PAPER_BY_CODE[self.printer.code]
        return PAPER_BY_LEVEL.get(str(self.summary.get("paper_level")), "unknown")

    @property
    def health(self) -> str:
        s = self.summary
        if s["status"] != "enrolled":
            return "new"
        if not s["online"]:
            return "offline"
        if s["service_state"] in ("UNAVAILABLE", "SUSPENDED"):
            return "down"
        if s["open_alerts"] or s["service_state"] == "PARTIAL" or self.paper in ("low", "out") \
                or any(not p.ok for p in self.parts.values()):
            return "attention"
        return "ok"

    @property
    def rank(self) -> tuple[int, int, str]:
        return HEALTH_ORDER[self.health], -int(self.summary["open_alerts"]), str(self.summary["name"])


def fleet_rows(session: Session, *, communities: list[str], now: datetime, offline_after: int,
               timezone: ZoneInfo, area: str = "", state: str = "all") -> list[FleetRow]:
    """Every visible station's row, worst first, after the area and state filters."""
    chosen = _area_communities(session, communities, area)
    summaries = fleet_service.list_stations(session, communities=chosen, now=now, offline_after=offline_after)
    names = org.names(session, chosen)
    rows = [FleetRow(s, names.get(s["community_code"], {})) for s in summaries]
    ids = [r.id for r in rows]
    _attach_parts(session, rows, ids)
    _attach_today(session, rows, ids, now, timezone)
    return sorted((r for r in rows if matches(r, state)), key=lambda r: r.rank)


def matches(row: FleetRow, state: str) -> bool:
    """Whether a row passes the state filter."""
    if state == "problem":
        return row.health in ("offline", "down", "attention")
    if state == "offline":
        return row.health == "offline"
    if state == "online":
        return bool(row.summary["online"])
    if state == "suspended":
        return row.summary["service_state"] == "SUSPENDED"
    return True


def areas(session: Session, communities: list[str]) -> list[dict[str, Any]]:
    """The communities a user may filter by, with their names."""
    names = org.names(session, communities)
    return [{"code": code, "name": names.get(code, {})} for code in sorted(communities)]


def _area_communities(session: Session, communities: list[str], area: str) -> list[str]:
    if not area:
        return communities
    unit = session.get(OrgUnit, area)
    if unit is None:
        return []
    under = set(session.scalars(select(OrgUnit.code).where(OrgUnit.path.startswith(unit.path))))
    return [c for c in communities if c in under]


def _attach_parts(session: Session, rows: list[FleetRow], ids: list[str]) -> None:
    by_id = {r.id: r for r in rows}
    query = select(ComponentState.station_id, ComponentState.component_id, ComponentState.state,
                   ComponentState.code, ComponentState.simulated)
    # Every station's parts at once (an IN list of 10,000 ids costs more than it saves).
    query = query.where(ComponentState.station_id.in_(ids)) if len(ids) <= 1000 else query
    for station_id, component_id, state, code, simulated in session.execute(query):
        row = by_id.get(station_id)
        if row is not None:
            row.parts[component_id] = Part(state, code, simulated)


def _attach_today(session: Session, rows: list[FleetRow], ids: list[str], now: datetime,
                  timezone: ZoneInfo) -> None:
    midnight = datetime.combine(now.astimezone(timezone).date(), time(0), tzinfo=timezone)
    certificates = {station: count for station, count in session.execute(
        select(CertificateRecord.station_id, func.count()).where(
            CertificateRecord.station_id.in_(ids), CertificateRecord.issued_at >= midnight)
        .group_by(CertificateRecord.station_id)).all()}
    requests = {station: count for station, count in session.execute(
        select(Ticket.station_id, func.count()).where(
            Ticket.station_id.in_(ids), Ticket.received_at >= midnight)
        .group_by(Ticket.station_id)).all()}
    for row in rows:
        row.certificates_today = int(certificates.get(row.id, 0))
        row.requests_today = int(requests.get(row.id, 0))


PAGE_SIZE = 100
SEARCH_LIMIT = 64


@dataclass
class FleetOverview:
    """What the fleet page shows: counts by health for the whole area, and one page of rows."""

    rows: list[FleetRow]
    counts: dict[str, int]
    total: int  # stations passing the filters (all pages)
    page: int
    pages: int
    size: int

    @property
    def first(self) -> int:
        return (self.page - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)


def fleet_overview(session: Session, *, communities: list[str], now: datetime, offline_after: int,
                   timezone: ZoneInfo, area: str = "", state: str = "all", search: str = "", page: int = 1,
                   size: int = PAGE_SIZE) -> FleetOverview:
    """Counts by health over every station of the area (and search), then one page of rows, worst
    first: only the page's rows are rendered and only they are counted for today."""
    chosen = _area_communities(session, communities, area)
    summaries = fleet_service.list_stations(session, communities=chosen, now=now, offline_after=offline_after,
                                            search=search[:SEARCH_LIMIT])
    names = org.names(session, chosen)
    rows = [FleetRow(s, names.get(s["community_code"], {})) for s in summaries]
    _attach_telling_parts(session, rows)
    counts = dict.fromkeys(HEALTH_ORDER, 0)
    for row in rows:
        counts[row.health] += 1
    chosen_rows = sorted((r for r in rows if matches(r, state)), key=lambda r: r.rank)
    pages = max(1, -(-len(chosen_rows) // size))
    page = min(max(1, page), pages)
    shown = chosen_rows[(page - 1) * size: page * size]
    for row in shown:
        row.parts = {}
    _attach_parts(session, shown, [r.id for r in shown])
    _attach_today(session, shown, [r.id for r in shown], now, timezone)
    return FleetOverview(shown, counts, len(chosen_rows), page, pages, size)


def _attach_telling_parts(session: Session, rows: list[FleetRow]) -> None:
    """The parts that can change a row's health, and only those: every part that is not OK, and
    the printer where the heartbeat said paper is low or out (the printer's own code wins). A
    station with none of these is as healthy as with all its parts, and the few rows shown get
    every part afterwards — 10,000 stations' 40,000 parts are never read for one page."""
    by_id = {r.id: r for r in rows}
    paper_short = select(StationState.station_id).where(StationState.paper_level.in_(("low", "empty")))
    printer_of_short = (ComponentState.component_id == "printer") & ComponentState.station_id.in_(paper_short)
    query = select(ComponentState.station_id, ComponentState.component_id, ComponentState.state,
                   ComponentState.code, ComponentState.simulated).where(or_(
                       ComponentState.code != "OK", ComponentState.state.not_in(("READY", "BUSY")),
                       printer_of_short))
    for station_id, component_id, state, code, simulated in session.execute(query):
        row = by_id.get(station_id)
        if row is not None:
            row.parts[component_id] = Part(state, code, simulated)
