"""``kiosk doctor``: what a technician checks on a sick kiosk, one check at a time.

Each check returns whether it passed, what it found, and for a failure what to do. The checks
read the data folder directly (settings, disk, database, keys, backups) and ask the running
station (its API, with the token in the data folder) and the platform; nothing is changed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError

from backend.shared import localtime

from .api.caller import read_token
from .backup.schedule import list_backups
from .lock import running_pid
from .settings import StationSettings, load_settings, settings_file

BACKUP_MAX_AGE_HOURS = 26  # the daily backup, with room for a slow night
TIMEOUT = 5.0


@dataclass(frozen=True)
class Check:
    check: str
    ok: bool
    detail: str
    fix: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "detail": self.detail}


def run_checks(data_dir: Path, **options: Any) -> list[Check]:
    """Every check, in the order a technician works through them (``options`` override settings,
    e.g. the port the station was started on)."""
    try:
        settings = load_settings(data_dir=data_dir, **options)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors())
        return [Check("configuration", False, problems, "correct kiosk.toml / the KIOSK_* environment")]
    localtime.configure(settings.timezone)
    checks = [_configuration(settings)]
    order: list[CheckFn] = [_data_folder, _disk, _database, _migrations, _keys, _enrolment, _station,
                            _platform, _devices, _display, _backups, _timezone]
    for check in order:
        checks.extend(_safely(check, settings))
    return checks


CheckFn = Callable[[StationSettings], Check | list[Check]]


def _safely(check: CheckFn, settings: StationSettings) -> list[Check]:
    name = check.__name__.strip("_").replace("_", " ")
    try:
        result = check(settings)
    except Exception as err:  # a check that cannot run is a failed check, not a crashed doctor
        return [Check(name, False, f"the check itself failed: {type(err).__name__}: {err}"[:300],
                      "see the station's log")]
    return result if isinstance(result, list) else [result]


def _configuration(settings: StationSettings) -> Check:
    source = settings_file(settings.data_dir)
    return Check("configuration", True, f"{settings.environment.value}, settings from "
                 f"{source or 'environment and defaults'}")


def _data_folder(settings: StationSettings) -> Check:
    folder = settings.data_dir
    if not folder.is_dir():
        return Check("data folder", False, f"{folder} does not exist", "check --data-dir / KIOSK_DATA_DIR")
    probe = folder / f".doctor-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        return Check("data folder", False, f"{folder} is not writable: {err.strerror}",
                     f"give the kiosk user the folder: chown -R <kiosk user> {folder}; chmod 700 {folder}")
    mode = folder.stat().st_mode & 0o777
    if mode & 0o077:
        return Check("data folder", False, f"{folder} is readable by others ({mode:o})",
                     f"chmod 700 {folder}")
    return Check("data folder", True, f"{folder} (writable, {mode:o})")


def _disk(settings: StationSettings) -> Check:
    free = shutil.disk_usage(settings.data_dir).free // (1024 * 1024)
    if free < settings.disk_low_mb:
        return Check("disk", False, f"{free} MB free, below {settings.disk_low_mb} MB",
                     "free space: old logs, receipts and backups (the station prunes what policy allows)")
    return Check("disk", True, f"{free} MB free")


def _database(settings: StationSettings) -> Check:
    path = settings.data_dir / "station.db"
    if not path.is_file():
        return Check("database", False, f"no database at {path}",
                     "start the station once, or `kiosk restore`")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        verdict = "; ".join(r[0] for r in connection.execute("PRAGMA integrity_check").fetchall())
    finally:
        connection.close()
    if verdict != "ok":
        return Check("database", False, f"integrity check: {verdict[:200]}",
                     "stop the station and restore the last backup: kiosk restore <file> --data-dir …")
    return Check("database", True, f"integrity ok ({path.stat().st_size // 1024} KB)")


def _migrations(settings: StationSettings) -> Check:
    from sqlalchemy import create_engine

    from backend.shared.migrations import pending_revisions
    from backend.station.runtime import MIGRATIONS

    engine = create_engine(f"sqlite:///{settings.data_dir / 'station.db'}")  # reads only
    try:
        current, pending = pending_revisions(engine, MIGRATIONS)
    finally:
        engine.dispose()
    if pending:
        return Check("migrations", False, f"at {current}, {len(pending)} migration(s) to apply",
                     "kiosk db upgrade (it backs up first)")
    return Check("migrations", True, f"at {current} (current)")


def _keys(settings: StationSettings) -> Check:
    keys = settings.keys_dir
    current = keys / "signing" / "current"
    missing = [n for n in ("idhash.key", "data.key") if not (keys / n).is_file()]
    if not current.is_file():
        missing.append("signing key")
    elif not (keys / "signing" / f"{current.read_text().strip()}.pem").is_file():
        missing.append("the signing key named in signing/current")
    if missing:
        return Check("signing key", False, f"missing: {', '.join(missing)}",
                     "restore a backup made with --include-keys, or start the station to make new keys "
                     "and enrol again")
    return Check("signing key", True, f"signing with {current.read_text().strip()[:16]}")


def _enrolment(settings: StationSettings) -> Check:
    path = settings.data_dir / "enrolment.json"
    if not path.is_file():
        return Check("enrolment", False, "not enrolled with a platform (works offline only)",
                     "kiosk enroll <platform URL> <code from staff>")
    enrolment = json.loads(path.read_text())
    if not (settings.keys_dir / "request.pem").is_file():
        return Check("enrolment", False, "enrolled, but the request key is missing",
                     "kiosk enroll --force <platform URL> <new code>")
    return Check("enrolment", True, f"{enrolment['station_id']} at {enrolment['platform_url']}")


def _station_url(settings: StationSettings) -> str:
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "") else settings.host
    return f"http://{host}:{settings.port}"


def _station(settings: StationSettings) -> Check:
    pid = running_pid(settings.data_dir)
    url = _station_url(settings)
    try:
        answer = httpx.get(url + "/api/health", timeout=TIMEOUT)
        answering = answer.status_code == 200
    except httpx.HTTPError:
        answering = False
    if pid is None and not answering:
        return Check("station", False, "not running", "kiosk up (or systemctl start kiosk-station)")
    if not answering:
        return Check("station", False, f"process {pid} holds the data folder but {url} does not answer",
                     "restart it: systemctl restart kiosk-station (or stop and start kiosk up)")
    return Check("station", True, f"running (pid {pid}), answering at {url}")


def _platform(settings: StationSettings) -> list[Check]:
    path = settings.data_dir / "enrolment.json"
    url = settings.platform_url or (json.loads(path.read_text())["platform_url"] if path.is_file() else "")
    if not url:
        return [Check("platform", False, "no platform configured", "kiosk enroll <platform URL> <code>")]
    sent = time.time()
    try:
        answer = httpx.get(url.rstrip("/") + "/api/health", timeout=TIMEOUT)
    except httpx.HTTPError as err:
        return [Check("platform", False, f"{url} unreachable: {type(err).__name__}",
                      "check the network / VPN; the station keeps serving offline meanwhile")]
    checks = [Check("platform", answer.status_code == 200, f"{url} answers {answer.status_code}",
                    "" if answer.status_code == 200 else "ask the platform's operators")]
    if "date" in answer.headers:
        skew = parsedate_to_datetime(answer.headers["date"]).timestamp() - (sent + time.time()) / 2
        ok = abs(skew) <= settings.clock_skew_alert_seconds
        side = "behind" if skew > 0 else "ahead of"
        checks.append(Check("clock", ok, f"{abs(skew):.0f} s {side} the platform",
                            "" if ok else "enable NTP (timedatectl set-ntp true) or check the RTC battery"))
    return checks


def _devices(settings: StationSettings) -> list[Check]:
    token = read_token(settings.data_dir)
    try:
        with httpx.Client(base_url=_station_url(settings), timeout=15,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            components = client.get("/api/components").json()
            # the printer is polled now (paper); readers and scanners are watched all the time
            fresh = [client.post(f"/api/components/{c['id']}/refresh").json() if c["id"] == "printer" else c
                     for c in components]
    except (httpx.HTTPError, ValueError):
        return [_direct(name, url) for name, url in _device_urls(settings)]
    return [_device_check(c) for c in fresh]


def _device_check(component: dict[str, Any]) -> Check:
    status = component["status"]
    usable = status["code"] in ("OK", "MEDIA_LOW")
    detail = f"{status['state']} {status['code']}"
    if component["kind"] == "receipt_printer":
        detail += {"OK": ", paper ok", "MEDIA_LOW": ", paper low", "MEDIA_EMPTY": ", paper out"}.get(
            status["code"], "")
    if component.get("simulated"):
        detail += " (simulated)"
    if status.get("detail") and not usable:
        detail += f": {status['detail']}"
    return Check(f"device {component['id']}", usable, detail, "" if usable else _device_fix(status["code"]))


def _device_fix(code: str) -> str:
    return {"MEDIA_EMPTY": "load paper", "MEDIA_JAMMED": "open the printer and clear the jam",
            "COVER_OPEN": "close the cover",
            "NOT_REACHABLE": "check the cable / power, and the device URL in the settings "
                             "(kiosk sim for simulated devices)"}.get(
        code, "power-cycle the device; see the station log")


def _device_urls(settings: StationSettings) -> Iterator[tuple[str, str]]:
    for name in ("printer", "idcard", "scanner", "camera"):
        url = getattr(settings, name)
        if url:
            yield name, url


def _direct(name: str, url: str) -> Check:
    """Without a running station: at least see whether the device answers where it should."""
    if url.startswith("tcp://"):
        host, _, port = url.removeprefix("tcp://").partition(":")
        try:
            socket.create_connection((host, int(port or 9100)), timeout=TIMEOUT).close()
        except OSError as err:
            return Check(f"device {name}", False, f"{url}: {err.strerror or err}",
                         _device_fix("NOT_REACHABLE"))
        return Check(f"device {name}", True, f"{url} accepts connections (station not running)")
    if url.startswith("/dev/") or url.startswith("serial://"):
        path = url.removeprefix("serial://").split("?")[0]
        ok = os.path.exists(path)
        return Check(f"device {name}", ok, f"{path} {'present' if ok else 'missing'} (station not running)",
                     "" if ok else _device_fix("NOT_REACHABLE"))
    return Check(f"device {name}", False, f"{url}: cannot be checked without the station running",
                 "start the station, then run kiosk doctor again")


def _display(_settings: StationSettings) -> Check:
    name = os.environ.get("DISPLAY", "")
    if os.environ.get("WAYLAND_DISPLAY"):
        return Check("display", True, f"Wayland {os.environ['WAYLAND_DISPLAY']}")
    if not name:
        return Check("display", False, "no display (DISPLAY is not set): the kiosk window cannot open",
                     "run on the kiosk's screen session, or export DISPLAY=:0")
    number = name.split(":")[-1].split(".")[0]
    if name.startswith(":") and not Path(f"/tmp/.X11-unix/X{number}").exists():
        return Check("display", False, f"DISPLAY={name} but no X server there",
                     "start the display manager (systemctl status display-manager)")
    return Check("display", True, f"DISPLAY={name}")


def _backups(settings: StationSettings) -> Check:
    entries = list_backups(settings.backups_dir)
    if not entries:
        return Check("backups", False, f"none in {settings.backups_dir}", "kiosk backup (the station also "
                     "takes one daily)")
    newest = entries[-1]
    taken = newest.taken_at.replace(tzinfo=localtime.zone())
    hours = (datetime.now(UTC) - taken).total_seconds() / 3600
    ok = hours <= BACKUP_MAX_AGE_HOURS
    return Check("backups", ok, f"{len(entries)} kept, newest {newest.name} ({hours:.1f} h old)",
                 "" if ok else "kiosk backup; check the station's log for why the daily one failed")


def _timezone(settings: StationSettings) -> Check:
    now = datetime.now(localtime.zone())
    machine = time.strftime("%Z")
    return Check("time zone", True, f"{settings.timezone}, local time {now:%Y-%m-%d %H:%M} "
                 f"(UTC{now:%z}); the machine's own zone ({machine}) is not used")
