"""The map of stations and tickets: by default (and always without a tile server) the schematic
view by area, which works on a kiosk network with no internet; with ``KIOSK_CONSOLE_MAP_TILES``
set, the tile view (see ..maplayout). Both show only what the viewer may see."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from backend.shared.tickets.config import load_ticket_config

from ...api.deps import RuntimeDep
from ...services import org
from ..config import console_settings
from ..fleet_view import fleet_rows
from ..maplayout import HEALTH_COLOUR, Marker, View, ticket_colour, tile_origin
from ..render import CSP, ConsoleRoute, render
from ..search import TicketFilter, find_tickets
from ..session import UserDep

router = APIRouter(prefix="/console/map", route_class=ConsoleRoute, include_in_schema=False)
OPEN_TICKETS = 300


@router.get("", response_class=HTMLResponse)
def map_page(
    request: Request,
    user: UserDep,
    runtime: RuntimeDep,
    view: str = Query("", pattern=r"^(|schematic|tiles)$"),
) -> HTMLResponse:
    """Stations (by health) and tickets (by deadline) per area, or on the configured base layer."""
    settings = console_settings()
    config = load_ticket_config()
    with runtime.db() as session:
        stations = fleet_rows(
            session,
            communities=user.visible.communities,
            now=runtime.clock.now(),
            offline_after=runtime.settings.offline_after_seconds,
            timezone=config.calendar.timezone,
        )
        names = org.names(session, list(user.visible.communities))
    tickets = (
        []
        if user.staff.role == "technician"
        else find_tickets(user.staff, runtime, config, TicketFilter(), limit=OPEN_TICKETS)
    )
    tiles_on = bool(settings.map_tiles and tile_origin(settings.map_tiles))
    chosen = view or ("tiles" if tiles_on else "schematic")
    if chosen == "tiles" and not tiles_on:
        chosen = "schematic"
    areas = _areas(names, stations, tickets)
    context: dict[str, Any] = {
        "areas": areas,
        "view": chosen,
        "tiles_on": tiles_on,
        "legend_tickets": ("ok", "warn", "bad", "off"),
        "legend_stations": ("ok", "attention", "down", "offline"),
    }
    if chosen == "tiles":
        box = View.around(settings.map_center, settings.map_zoom)
        context |= {
            "tiles": box.tiles(settings.map_tiles),
            "markers": _markers(box, stations, tickets, settings),
            "attribution": settings.map_attribution,
        }
    response = render(request, "map.html", user=user, section="map", **context)
    if chosen == "tiles":
        response.headers["Content-Security-Policy"] = CSP.replace(
            "img-src 'self' data:", f"img-src 'self' data: {tile_origin(settings.map_tiles)}"
        )
    return response


def _areas(
    names: dict[str, dict[str, str]], stations: list[Any], tickets: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    by_area: dict[str, dict[str, Any]] = defaultdict(lambda: {"stations": [], "tickets": []})
    for row in stations:
        by_area[row.summary["community_code"]]["stations"].append(
            {
                "id": row.id,
                "name": row.summary["name"],
                "health": row.health,
                "colour": HEALTH_COLOUR.get(row.health, "info"),
            }
        )
    for ticket in tickets:
        colour = ticket_colour(ticket["deadline"], ticket["state"])
        by_area[ticket["community"]]["tickets"].append(
            {"no": ticket["ticket_no"], "colour": colour, "state": ticket["state"]}
        )
    out = []
    for code in sorted(set(names) | set(by_area)):
        found = by_area[code]
        counts = {c: sum(t["colour"] == c for t in found["tickets"]) for c in ("ok", "warn", "bad", "off")}
        out.append(
            {"code": code, "name": names.get(code, {"zh": code, "en": code}), **found, "counts": counts}
        )
    return out


def _markers(box: View, stations: list[Any], tickets: list[dict[str, Any]], settings: Any) -> list[Marker]:
    out = []
    for row in stations:
        where = settings.station_positions.get(row.id)
        spot = box.place(*where) if where else None
        if spot:
            out.append(
                Marker("station", row.id, row.summary["name"], HEALTH_COLOUR.get(row.health, "info"), *spot)
            )
    for ticket in tickets:
        lat, lon = ticket.get("lat"), ticket.get("lon")
        spot = box.place(lat, lon) if lat is not None and lon is not None else None
        if spot:
            out.append(
                Marker(
                    "ticket",
                    ticket["ticket_no"],
                    ticket["ticket_no"],
                    ticket_colour(ticket["deadline"], ticket["state"]),
                    *spot,
                )
            )
    return out
