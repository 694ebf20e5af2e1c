"""The fleet page: one row per station, worst first, updated live without reloading."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from backend.shared.tickets.config import load_ticket_config

from ...api.deps import RuntimeDep
from ...runtime import PlatformRuntime
from ..fleet_view import STATE_FILTERS, FleetRow, areas, fleet_rows
from ..render import ConsoleRoute, render
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console/fleet", route_class=ConsoleRoute, include_in_schema=False)
AreaQuery = Query("", max_length=32, pattern=r"^[0-9A-Za-z-]*$")
StateQuery = Query("all", max_length=16)


@router.get("", response_class=HTMLResponse)
def fleet_page(request: Request, user: UserDep, runtime: RuntimeDep, area: str = AreaQuery,
               state: str = StateQuery) -> HTMLResponse:
    """Every station the user may see, the worst first."""
    state = state if state in STATE_FILTERS else "all"
    rows, choices = _rows(user, runtime, area, state)
    return render(request, "fleet.html", user=user, section="fleet", rows=rows, areas=choices,
                  area=area, state=state, states=STATE_FILTERS,
                  rows_src=f"/console/fleet/rows?area={area}&state={state}")


@router.get("/rows", response_class=HTMLResponse)
def fleet_rows_fragment(request: Request, user: UserDep, runtime: RuntimeDep, area: str = AreaQuery,
                        state: str = StateQuery) -> HTMLResponse:
    """The table's rows alone, for live updates."""
    state = state if state in STATE_FILTERS else "all"
    rows, _ = _rows(user, runtime, area, state)
    return render(request, "_fleet_rows.html", user=user, rows=rows)


def _rows(user: ConsoleUser, runtime: PlatformRuntime, area: str,
          state: str) -> tuple[list[FleetRow], list[dict[str, object]]]:
    timezone = load_ticket_config().calendar.timezone
    with runtime.db() as session:
        rows = fleet_rows(session, communities=user.visible.communities, now=runtime.clock.now(),
                          offline_after=runtime.settings.offline_after_seconds, timezone=timezone,
                          area=area, state=state)
        return rows, areas(session, user.visible.communities)
