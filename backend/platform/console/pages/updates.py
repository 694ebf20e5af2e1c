"""Updates over the air: each station's version, uploaded releases, rollouts with their progress
by community and every failure with its reason; upload, start, pause, resume, abort (the staff
API does the work, checks the role and the area, and audits)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from backend.shared.api_params import RowId
from backend.shared.errors import VALIDATION, AppError

from ...api.deps import RuntimeDep
from ...api.routes import releases as releases_api
from ...db.area_models import Station
from ...db.fleet_models import StationState
from ...runtime import PlatformRuntime
from ...services import rollouts
from ..render import ConsoleRoute, back, render
from ..session import ConsoleUser, UserDep

router = APIRouter(prefix="/console/updates", route_class=ConsoleRoute, include_in_schema=False)
HERE = "/console/updates"
CHUNK = 1024 * 1024


@router.get("", response_class=HTMLResponse)
def updates_page(request: Request, user: UserDep, runtime: RuntimeDep) -> HTMLResponse:
    return render(request, "updates.html", user=user, section="updates", **_facts(user, runtime))


def _facts(user: ConsoleUser, runtime: PlatformRuntime) -> dict[str, Any]:
    communities = user.visible.communities
    with runtime.db() as session:
        stations = session.execute(
            select(Station.id, Station.name, Station.community_code, StationState.version)
            .join(StationState, StationState.station_id == Station.id, isouter=True)
            .where(Station.community_code.in_(communities), Station.status == "enrolled")
            .order_by(Station.id)).all()
        found = releases_api._visible_rollouts(session, communities)
        shown = [rollouts.rollout_view(session, r, detail=True) for r in found[:20]]
        releases = [rollouts.release_view(r) for r in rollouts.list_releases(session)]
        counts = rollouts.station_versions(session, communities)
    return {"stations": stations, "rollouts": shown, "releases": releases, "version_counts": counts,
            "may_release": user.staff.can(releases_api.PERMISSION)}


@router.post("/releases")
async def upload(user: UserDep, runtime: RuntimeDep,
                 bundle: Annotated[UploadFile, File()]) -> RedirectResponse:
    """Keep an uploaded bundle (copied to the releases folder a megabyte at a time)."""
    try:
        user.require(releases_api.PERMISSION)
        folder = rollouts.release_folder(runtime.settings.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f".console-upload-{user.staff.id}"
        with open(target, "wb") as out:
            while chunk := await bundle.read(CHUNK):
                out.write(chunk)
        await run_in_threadpool(releases_api.store, runtime, target, by=user.staff.username)
    except AppError as err:
        return back(HERE, error=err)
    return back(HERE, done="done.release_uploaded")


@router.post("/rollouts")
def start(user: UserDep, runtime: RuntimeDep, version: Annotated[str, Form(max_length=32)],
          area_code: Annotated[str, Form(max_length=32)] = "",
          station_ids: Annotated[str, Form(max_length=20000)] = "",
          canary_percent: Annotated[int, Form(ge=0, le=100)] = 10,
          canary_stations: Annotated[str, Form(max_length=5000)] = "",
          window_start: Annotated[str, Form(max_length=5)] = "02:00",
          window_end: Annotated[str, Form(max_length=5)] = "05:00",
          rollback: Annotated[bool, Form()] = False) -> RedirectResponse:
    try:
        body = _body(version=version, area_code=area_code.strip() or None, station_ids=_ids(station_ids),
                     canary_percent=canary_percent, canary_stations=_ids(canary_stations),
                     window_start=window_start, window_end=window_end, rollback=rollback)
        releases_api.start_rollout(body, user.visible, runtime)
    except AppError as err:
        return back(HERE, error=err)
    return back(HERE, done="done.rollout_started")


@router.post("/rollouts/{rollout_id}/{action}")
def control(rollout_id: RowId, action: Literal["pause", "resume", "abort"], user: UserDep,
            runtime: RuntimeDep) -> RedirectResponse:
    try:
        releases_api.control_rollout(rollout_id, action, user.visible, runtime)
    except AppError as err:
        return back(HERE, error=err)
    return back(HERE, done="done.rollout_changed")


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def _body(**fields: Any) -> releases_api.RolloutBody:
    try:
        return releases_api.RolloutBody(**fields)
    except ValidationError as err:
        raise AppError(VALIDATION, detail=str(err.errors()[0].get("loc"))) from err
