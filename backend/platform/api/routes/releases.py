"""Updates over the air: staff upload release bundles and run rollouts; stations download them.

    POST /api/staff/releases                 the bundle as the body (application/octet-stream)
    GET  /api/staff/releases                 uploaded releases, and how many stations run each version
    POST /api/staff/rollouts                 start one (area or stations, canary, window, rollback)
    GET  /api/staff/rollouts[/{id}]          progress (by area, every failure with its reason)
    POST /api/staff/rollouts/{id}/{action}   pause | resume | abort
    GET  /api/sync/releases/{version}        the bundle, for a station in a rollout of it (signed; Range)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from backend.shared.api_params import RowId
from backend.shared.errors import AppError

from ...db.release_models import Rollout, RolloutStation
from ...db.session import write_transaction
from ...runtime import PlatformRuntime
from ...services import audit, rollouts
from ...services.errors import NOT_YOURS
from ..deps import RuntimeDep, SignedStationDep, VisibilityDep

router = APIRouter(tags=["releases"])
MAX_RELEASE = 768 * 1024 * 1024  # the wheels of the project and all its dependencies, with room
PERMISSION = "releases"


class RolloutBody(BaseModel):
    version: str = Field(max_length=32)
    area_code: str | None = Field(None, max_length=32)
    station_ids: list[str] = Field(default_factory=list, max_length=2000)
    canary_percent: int = Field(10, ge=0, le=100)
    canary_stations: list[str] = Field(default_factory=list, max_length=200)
    window_start: str = Field("02:00", pattern=rollouts.WINDOW)
    window_end: str = Field("05:00", pattern=rollouts.WINDOW)
    rollback: bool = False


@router.post("/api/staff/releases", status_code=201)
async def upload_release(request: Request, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Keep a signed bundle (checked: form, hashes, signature when release keys are configured)."""
    visible.staff.require(PERMISSION)
    upload = await _receive(request, runtime)
    return store(runtime, upload, by=visible.staff.username)


def store(runtime: PlatformRuntime, upload: Path, *, by: str) -> dict[str, Any]:
    settings = runtime.settings
    try:
        with write_transaction(runtime.db) as session:
            release = rollouts.store_release(session, data_dir=settings.data_dir, upload=upload,
                                             trusted=rollouts.trusted_release_keys(settings.keys_dir), by=by,
                                             now=runtime.clock.now())
            audit.record(session, actor=by, action="release.upload", target=f"release:{release.version}",
                         at=runtime.clock.now(), detail={"sha256": release.sha256, "size": release.size})
            return rollouts.release_view(release)
    finally:
        upload.unlink(missing_ok=True)


async def _receive(request: Request, runtime: PlatformRuntime) -> Path:
    """Stream the body to a file beside the releases (never whole in memory)."""
    folder = rollouts.release_folder(runtime.settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".upload-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in request.stream():
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


@router.put("/api/staff/release-keys")
def rotate_release_keys(body: dict[str, Any], visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Carry a release-key rotation statement to every station (signed off the platform by a key
    the stations trust; see backend/shared/releases/trust.py)."""
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        cursor = rollouts.publish_release_keys(session, body, now=now)
        audit.record(session, actor=visible.staff.username, action="release.keys", target="release-keys",
                     at=now, detail={"keys": len(body.get("jwks", {}).get("keys", []))})
    return {"published": cursor is not None}


@router.get("/api/staff/releases")
def list_releases(visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    with runtime.db() as session:
        return {"releases": [rollouts.release_view(r) for r in rollouts.list_releases(session)],
                "station_versions": rollouts.station_versions(session, visible.communities)}


@router.post("/api/staff/rollouts", status_code=201)
def start_rollout(body: RolloutBody, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        rollout = rollouts.start_rollout(
            session, version=body.version, visible=visible.communities, area_code=body.area_code,
            station_ids=body.station_ids, canary_percent=body.canary_percent,
            canary_stations=body.canary_stations, window=(body.window_start, body.window_end),
            rollback=body.rollback, by=visible.staff.username, now=now)
        audit.record(session, actor=visible.staff.username, action="rollout.start",
                     target=f"rollout:{rollout.id}", at=now, detail=body.model_dump())
        return rollouts.rollout_view(session, rollout, detail=True)


@router.get("/api/staff/rollouts")
def list_rollouts(visible: VisibilityDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    with runtime.db() as session:
        return [rollouts.rollout_view(session, r) for r in _visible_rollouts(session, visible.communities)]


@router.get("/api/staff/rollouts/{rollout_id}")
def get_rollout(rollout_id: RowId, visible: VisibilityDep, runtime: RuntimeDep) -> dict[str, Any]:
    with runtime.db() as session:
        return rollouts.rollout_view(session, _visible_rollout(session, rollout_id, visible.communities),
                                     detail=True)


@router.post("/api/staff/rollouts/{rollout_id}/{action}")
def control_rollout(rollout_id: RowId, action: Literal["pause", "resume", "abort"], visible: VisibilityDep,
                    runtime: RuntimeDep) -> dict[str, Any]:
    visible.staff.require(PERMISSION)
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        rollout = _visible_rollout(session, rollout_id, visible.communities)
        rollouts.control(session, rollout, action, now=now)
        audit.record(session, actor=visible.staff.username, action=f"rollout.{action}",
                     target=f"rollout:{rollout.id}", at=now)
        return rollouts.rollout_view(session, rollout, detail=True)


def _visible_rollouts(session: Any, communities: list[str]) -> list[Rollout]:
    """Rollouts that touch at least one community the user sees."""
    ids = select(RolloutStation.rollout_id).where(RolloutStation.community_code.in_(communities))
    return list(session.scalars(select(Rollout).where(Rollout.id.in_(ids)).order_by(Rollout.id.desc())))


def _visible_rollout(session: Any, rollout_id: int, communities: list[str]) -> Rollout:
    rollout = rollouts.get_rollout(session, rollout_id)
    seen = session.scalar(select(RolloutStation.station_id).where(
        RolloutStation.rollout_id == rollout_id, RolloutStation.community_code.in_(communities)).limit(1))
    if seen is None:
        raise AppError(rollouts.ROLLOUT_NOT_FOUND, detail=str(rollout_id))
    return rollout


@router.get("/api/sync/releases/{version}")
def download_release(version: str, station: SignedStationDep, runtime: RuntimeDep) -> FileResponse:
    """The bundle, to a station in a rollout of it; ``Range: bytes=N-`` resumes a download."""
    with runtime.db() as session:
        offered = session.scalar(select(RolloutStation.station_id).join(Rollout).where(
            Rollout.version == version, RolloutStation.station_id == station.id).limit(1))
    path = rollouts.bundle_path(runtime.settings.data_dir, version)
    if offered is None or not path.exists():
        raise AppError(NOT_YOURS, detail=f"release {version} is not offered to {station.id}")
    return FileResponse(path, media_type="application/x-tar", filename=path.name)
