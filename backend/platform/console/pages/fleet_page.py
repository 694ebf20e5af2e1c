"""The fleet page: counts by health, then a page of stations (worst first, searchable), updated
live without reloading."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from backend.shared.tickets.config import load_ticket_config

from ...api.deps import RuntimeDep
from ...runtime import PlatformRuntime
from ..fleet_view import STATE_FILTERS, FleetOverview, areas, fleet_overview
from ..render import ConsoleRoute, render
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console/fleet", route_class=ConsoleRoute, include_in_schema=False)
AreaQuery = Query("", max_length=32, pattern=r"^[0-9A-Za-z-]*$")
StateQuery = Query("all", max_length=16)


SearchQuery = Query("", max_length=64)
PageQuery = Query(1, ge=1, le=100_000)


@router.get("", response_class=HTMLResponse)
def fleet_page(request: Request, user: UserDep, runtime: RuntimeDep, area: str = AreaQuery,
               state: str = StateQuery, q: str = SearchQuery, page: int = PageQuery) -> HTMLResponse:
    """Counts by health, then a page of the stations the user may see, the worst first."""
    state = state if state in STATE_FILTERS else "all"
    overview, choices = _overview(user, runtime, area, state, q.strip(), page)
    return render(request, "fleet.html", user=user, section="fleet", fleet=overview, rows=overview.rows,
                  areas=choices, area=area, state=state, states=STATE_FILTERS, q=q.strip(),
                  rows_src=_live_src(area, state, q.strip(), overview.page))


@router.get("/rows", response_class=HTMLResponse)
def fleet_rows_fragment(request: Request, user: UserDep, runtime: RuntimeDep, area: str = AreaQuery,
                        state: str = StateQuery, q: str = SearchQuery, page: int = PageQuery) -> HTMLResponse:
    """The counts, the pager and the table's rows, for live updates."""
    state = state if state in STATE_FILTERS else "all"
    overview, _ = _overview(user, runtime, area, state, q.strip(), page)
    return render(request, "_fleet_live.html", user=user, fleet=overview, rows=overview.rows, area=area,
                  state=state, q=q.strip())


def _live_src(area: str, state: str, q: str, page: int) -> str:
    return "/console/fleet/rows?" + urlencode({"area": area, "state": state, "q": q, "page": page})


def _overview(user: ConsoleUser, runtime: PlatformRuntime, area: str, state: str, q: str,
              page: int) -> tuple[FleetOverview, list[dict[str, object]]]:
    timezone = load_ticket_config().calendar.timezone
    with runtime.db() as session:
        overview = fleet_overview(session, communities=user.visible.communities, now=runtime.clock.now(),
                                  offline_after=runtime.settings.offline_after_seconds, timezone=timezone,
                                  area=area, state=state, search=q, page=page)
        return overview, areas(session, user.visible.communities)
