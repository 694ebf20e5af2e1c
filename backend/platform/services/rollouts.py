"""Releases and rollouts: staff upload a signed bundle, roll it out to an area of the organisation
tree or a list of stations, canary stations first, then the rest; stations learn of it from the
heartbeat answer and report ``update.done`` or ``update.failed`` (with the reason) as events.

The platform keeps bundles as uploaded and checks their form, hashes and signature (against the
release keys in ``keys/release-keys.jwks.json`` when that file exists); each station checks them
again against the keys it trusts, and decides when: inside the rollout's local window, never during
a resident's visit. A failed canary pauses the rollout; when every canary station is done, the
rest are offered the release.
"""

from __future__ import annotations

import hashlib
import math
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.shared.errors import AppError, define
from backend.shared.protocol import ChangeKind, EventType, OutboxEventIn
from backend.shared.releases.bundle import read_bundle
from backend.shared.releases.manifest import NOT_A_BUNDLE, TAMPERED, UNSIGNED, check_signature, sha256_hex
from backend.shared.tokens.signing import KeySet

from ..db.area_models import OrgUnit, Station
from ..db.fleet_models import StationState
from ..db.release_models import Release, Rollout, RolloutStation
from . import changes, org
from .applier_registry import Appliers, ApplyContext, Rejected

RELEASE_KEYS = "release-keys.jwks.json"
ACTIVE = ("canary", "rolling", "paused")
OFFERING = ("canary", "rolling")
WINDOW = r"^([01]\d|2[0-3]):[0-5]\d$"

RELEASE_EXISTS = define("release.exists", 409, "该版本已上传，内容不同。",
                        "A different bundle with this version was already uploaded.")
RELEASE_NOT_FOUND = define("release.not_found", 404, "没有找到该版本。", "No such release.")
ROLLOUT_NOT_FOUND = define("rollout.not_found", 404, "没有找到该升级任务。", "No such rollout.")
ROLLOUT_EMPTY = define("rollout.empty", 422, "所选范围内没有已登记的服务站。",
                       "There are no enrolled stations in what was chosen.")
ROLLOUT_OVERLAP = define("rollout.overlap", 409, "部分服务站已在进行中的升级任务里。",
                         "Some stations are already in a rollout that is under way.")
ROLLOUT_STATE = define("rollout.state", 409, "升级任务当前状态不允许此操作。",
                       "The rollout cannot do that in its current state.")
ROLLOUT_ROLE = define("rollout.role", 422, "该版本不适用于服务站。", "This release is not for stations.")


# ---- releases -------------------------------------------------------------------------------------

def release_folder(data_dir: Path) -> Path:
    return data_dir / "releases"


def bundle_path(data_dir: Path, version: str) -> Path:
    return release_folder(data_dir) / f"kiosk-{version}.tar"


def trusted_release_keys(keys_dir: Path) -> KeySet | None:
    from backend.shared.tokens.jwks import import_jwks

    path = keys_dir / RELEASE_KEYS
    return import_jwks(path.read_bytes()) if path.exists() else None


def store_release(session: Session, *, data_dir: Path, upload: Path, trusted: KeySet | None, by: str,
                  now: datetime) -> Release:
    """Check an uploaded bundle and keep it; return its record (the same upload twice is fine)."""
    bundle = read_bundle(upload)
    manifest = bundle.manifest
    if not bundle.signature:
        raise AppError(UNSIGNED)
    if trusted is not None:
        check_signature(bundle.manifest_bytes, bundle.signature, trusted)
    if set(manifest.files) != set(bundle.files) or any(
            sha256_hex(bundle.files[name]) != digest for name, digest in manifest.files.items()):
        raise AppError(TAMPERED)
    digest, size = _file_sha256(upload), upload.stat().st_size
    existing = session.get(Release, manifest.version)
    if existing is not None:
        if existing.sha256 != digest:
            raise AppError(RELEASE_EXISTS, detail=manifest.version)
        upload.unlink(missing_ok=True)
        return existing
    target = bundle_path(data_dir, manifest.version)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(upload, target)
    release = Release(version=manifest.version, roles=list(manifest.roles), manifest={
        "min_previous_version": manifest.min_previous_version, "schemas": dict(manifest.schemas),
        "python": manifest.python, "created_at": manifest.created_at, "files": len(manifest.files),
        "unpacked_size": manifest.unpacked_size}, size=size, sha256=digest, uploaded_by=by, uploaded_at=now)
    session.add(release)
    return release


def publish_release_keys(session: Session, statement: dict[str, Any], *, now: datetime) -> int | None:
    """Publish a rotation statement on the changes feed (stations check its signature)."""
    from backend.shared.tokens.jwks import JwksError, import_jwks

    try:
        import_jwks(statement["jwks"])
        if not isinstance(statement["signature"], dict):
            raise TypeError("signature")
    except (KeyError, TypeError, JwksError) as err:
        raise AppError(NOT_A_BUNDLE, detail=f"not a rotation statement: {err}") from err
    payload = {"jwks": statement["jwks"], "signature": statement["signature"]}
    return changes.publish_if_changed(session, kind=ChangeKind.RELEASE_KEYS, key="release_keys",
                                      payload=payload, now=now)


def release_view(release: Release) -> dict[str, Any]:
    return {"version": release.version, "roles": release.roles, "size": release.size,
            "sha256": release.sha256, "manifest": release.manifest, "uploaded_by": release.uploaded_by,
            "uploaded_at": release.uploaded_at.isoformat()}


def list_releases(session: Session) -> list[Release]:
    return list(session.scalars(select(Release).order_by(Release.uploaded_at.desc())))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


# ---- rollouts -------------------------------------------------------------------------------------

def start_rollout(session: Session, *, version: str, visible: list[str], area_code: str | None,
                  station_ids: list[str], canary_percent: int, canary_stations: list[str],
                  window: tuple[str, str], rollback: bool, by: str, now: datetime) -> Rollout:
    """Create a rollout of ``version`` to the visible enrolled stations chosen; canaries first."""
    release = session.get(Release, version)
    if release is None:
        raise AppError(RELEASE_NOT_FOUND, detail=version)
    if "station" not in release.roles:
        raise AppError(ROLLOUT_ROLE, detail=version)
    targets = _targets(session, visible=visible, area_code=area_code, station_ids=station_ids)
    if not targets:
        raise AppError(ROLLOUT_EMPTY)
    busy = session.scalars(select(RolloutStation.station_id).join(Rollout)
                           .where(Rollout.state.in_(ACTIVE), RolloutStation.state.in_(("pending", "offered")),
                                  RolloutStation.station_id.in_(list(targets)))).all()
    if busy:
        raise AppError(ROLLOUT_OVERLAP, detail=", ".join(sorted(busy)[:10]))
    canaries = pick_canaries(sorted(targets), percent=canary_percent, named=canary_stations)
    rollout = Rollout(version=version, area_code=area_code, canary_percent=canary_percent,
                      window_start=window[0], window_end=window[1], rollback=rollback,
                      state="canary" if canaries else "rolling", note="", created_by=by, created_at=now,
                      updated_at=now)
    session.add(rollout)
    session.flush()
    for station_id, community in sorted(targets.items()):
        session.add(RolloutStation(rollout_id=rollout.id, station_id=station_id, community_code=community,
                                   canary=station_id in canaries, state="pending", code="", reason="",
                                   updated_at=now))
    return rollout


def pick_canaries(station_ids: list[str], *, percent: int, named: list[str]) -> set[str]:
    """The named stations that are targets, or else the first ``percent`` % (at least one)."""
    chosen = {s for s in named if s in station_ids}
    if chosen or percent <= 0:
        return chosen
    count = max(1, math.ceil(len(station_ids) * percent / 100))
    # Spread over the list rather than the first few (often one community's, by id).
    ordered = sorted(station_ids, key=lambda s: hashlib.sha256(s.encode()).hexdigest())
    return set(ordered[:count])


def _targets(session: Session, *, visible: list[str], area_code: str | None,
             station_ids: list[str]) -> dict[str, str]:
    communities = set(visible)
    if area_code:
        communities &= set(org.communities_under(session, area_code))
    query = select(Station.id, Station.community_code).where(Station.status == "enrolled",
                                                             Station.community_code.in_(communities))
    if station_ids:
        query = query.where(Station.id.in_(station_ids))
    elif not area_code:
        return {}
    return {station_id: community for station_id, community in session.execute(query)}


def get_rollout(session: Session, rollout_id: int) -> Rollout:
    rollout = session.get(Rollout, rollout_id)
    if rollout is None:
        raise AppError(ROLLOUT_NOT_FOUND, detail=str(rollout_id))
    return rollout


def control(session: Session, rollout: Rollout, action: str, *, now: datetime) -> None:
    """Pause, resume or abort a rollout."""
    if action == "pause" and rollout.state in OFFERING:
        rollout.paused_from, rollout.state = rollout.state, "paused"
    elif action == "resume" and rollout.state == "paused":
        rollout.state, rollout.paused_from, rollout.note = rollout.paused_from or "canary", None, ""
        _advance(session, rollout, now)
    elif action == "abort" and rollout.state in ACTIVE:
        rollout.state = "aborted"
        for row in session.scalars(select(RolloutStation).where(
                RolloutStation.rollout_id == rollout.id, RolloutStation.state.in_(("pending", "offered")))):
            row.state, row.updated_at = "aborted", now
    else:
        raise AppError(ROLLOUT_STATE, detail=f"{action} while {rollout.state}")
    rollout.updated_at = now


def offer_for(session: Session, *, station_id: str, version: str, now: datetime) -> dict[str, Any] | None:
    """What the heartbeat answer tells a station to install, if anything (marks it offered)."""
    found = session.execute(
        select(RolloutStation, Rollout, Release).join(Rollout, Rollout.id == RolloutStation.rollout_id)
        .join(Release, Release.version == Rollout.version)
        .where(RolloutStation.station_id == station_id, Rollout.state.in_(OFFERING),
               RolloutStation.state.in_(("pending", "offered")))
        .order_by(Rollout.id.desc())).first()
    if found is None:
        return None
    row, rollout, release = found
    if not row.canary and rollout.state != "rolling":
        return None
    if version == release.version:  # already there (its update.done may still be on the way)
        _finished(session, row, rollout, state="done", code="", reason="", seconds=None, now=now)
        return None
    if row.state == "pending":
        row.state, row.updated_at = "offered", now
    return {"rollout_id": rollout.id, "version": release.version, "size": release.size,
            "sha256": release.sha256, "rollback": rollout.rollback, "window_start": rollout.window_start,
            "window_end": rollout.window_end}


def _finished(session: Session, row: RolloutStation, rollout: Rollout, *, state: str, code: str, reason: str,
              seconds: float | None, now: datetime) -> None:
    row.state, row.code, row.reason, row.seconds, row.updated_at = state, code, reason[:512], seconds, now
    if state == "failed" and row.canary and rollout.state == "canary":
        rollout.state, rollout.paused_from = "paused", "canary"
        rollout.note = f"canary {row.station_id} failed: {code}"[:255]
    _advance(session, rollout, now)
    rollout.updated_at = now


def _advance(session: Session, rollout: Rollout, now: datetime) -> None:
    """Canary → rolling when every canary is done; → finished when no station is left to do."""
    session.flush()
    counts = dict(session.execute(select(RolloutStation.canary, func.count())
                                  .where(RolloutStation.rollout_id == rollout.id,
                                         RolloutStation.state.in_(("pending", "offered")))
                                  .group_by(RolloutStation.canary)).all())
    canary_failed = session.scalar(select(func.count()).select_from(RolloutStation).where(
        RolloutStation.rollout_id == rollout.id, RolloutStation.canary.is_(True),
        RolloutStation.state == "failed")) or 0
    if rollout.state == "canary" and not counts.get(True) and not canary_failed:
        rollout.state = "rolling"
    if rollout.state == "rolling" and not counts.get(True) and not counts.get(False):
        rollout.state = "finished"


# ---- what stations report -------------------------------------------------------------------------

def _reported(ctx: ApplyContext, event: OutboxEventIn, state: str) -> None:
    payload = event.payload
    try:
        rollout_id = int(payload.get("rollout_id") or 0)
    except (TypeError, ValueError) as err:
        raise Rejected("rollout_id is not a number") from err
    row = ctx.session.get(RolloutStation, (rollout_id, ctx.station.id))
    if row is None:
        raise Rejected("not a rollout to this station")
    rollout = ctx.session.get(Rollout, rollout_id)
    assert rollout is not None
    seconds = payload.get("seconds")
    _finished(ctx.session, row, rollout, state=state, code=str(payload.get("code", ""))[:64],
              reason=str(payload.get("reason", "")), now=ctx.now,
              seconds=float(seconds) if isinstance(seconds, int | float) else None)
    ctx.notes.append({"type": "update." + ("done" if state == "done" else "failed"),
                      "station_id": ctx.station.id, "rollout_id": rollout_id,
                      "version": payload.get("version"), "code": row.code})


def update_done(ctx: ApplyContext, event: OutboxEventIn) -> None:
    _reported(ctx, event, "done")


def update_failed(ctx: ApplyContext, event: OutboxEventIn) -> None:
    _reported(ctx, event, "failed")


APPLIERS = Appliers({EventType.UPDATE_DONE: update_done, EventType.UPDATE_FAILED: update_failed})


# ---- views ----------------------------------------------------------------------------------------

def rollout_view(session: Session, rollout: Rollout, *, detail: bool = False) -> dict[str, Any]:
    rows = list(session.scalars(select(RolloutStation).where(RolloutStation.rollout_id == rollout.id)
                                .order_by(RolloutStation.station_id)))
    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row.state] = by_state.get(row.state, 0) + 1
    view: dict[str, Any] = {
        "id": rollout.id, "version": rollout.version, "area_code": rollout.area_code, "state": rollout.state,
        "note": rollout.note, "canary_percent": rollout.canary_percent, "rollback": rollout.rollback,
        "window": [rollout.window_start, rollout.window_end], "created_by": rollout.created_by,
        "created_at": rollout.created_at.isoformat(), "stations": len(rows), "by_state": by_state,
        "canaries": [r.station_id for r in rows if r.canary]}
    if detail:
        names = dict(session.execute(select(OrgUnit.code, OrgUnit.name_zh)
                                     .where(OrgUnit.code.in_({r.community_code for r in rows}))).all())
        areas: dict[str, dict[str, Any]] = {}
        for row in rows:
            area = areas.setdefault(row.community_code, {
                "community_code": row.community_code, "name": names.get(row.community_code, ""), "total": 0,
                "done": 0, "failed": 0, "waiting": 0})
            area["total"] += 1
            key = row.state if row.state in ("done", "failed") else "waiting"
            area[key] += 1
        view["by_area"] = sorted(areas.values(), key=lambda a: a["community_code"])
        view["failures"] = [{"station_id": r.station_id, "code": r.code, "reason": r.reason,
                             "at": r.updated_at.isoformat()} for r in rows if r.state == "failed"]
        view["station_states"] = [{"station_id": r.station_id, "canary": r.canary, "state": r.state,
                                   "seconds": r.seconds} for r in rows]
    return view


def station_versions(session: Session, communities: list[str] | None = None) -> dict[str, int]:
    """How many stations report each version (the platform's /metrics and the console)."""
    query = select(StationState.version, func.count()).join(Station, Station.id == StationState.station_id)
    if communities is not None:
        query = query.where(Station.community_code.in_(communities))
    counted = session.execute(query.group_by(StationState.version))
    return {version or "unknown": count for version, count in counted}
