"""``kiosk demo-fleet``: headless demo stations in the district's other communities, so the console
shows a small Qiongshan fleet out of the box (``kiosk up --stations N`` starts N−1 of them).

Each one is enrolled the way a real station is (staff create it and make a one-time code; the
station registers its request and certificate keys), then speaks the real sync protocol with
signed requests: a heartbeat every period, now and then a certificate it "issued" (a real token,
signed with its own certificate key, so it verifies against the trust list), and once in a while
a fault that lasts a few beats (printer out of paper, ID card reader gone) and clears again. No
kiosk, no devices, no database: a few hundred lines of state in ``<data dir>/fleet``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from .common import add_data_dir, data_dir_of

NAMES = ("王海燕", "陈志强", "林小梅", "符文华", "吴德明", "黄丽娟", "云天佑", "邢春花")
FAULTS = (("printer", "MEDIA_EMPTY", "UNAVAILABLE"), ("printer", "MEDIA_JAMMED", "UNAVAILABLE"),
          ("idcard", "NOT_RESPONDING", "UNAVAILABLE"))
KINDS = {"printer": "receipt_printer", "idcard": "id_card_reader", "scanner": "barcode_scanner",
         "camera": "camera"}


def register(commands: Any) -> None:
    parser = commands.add_parser("demo-fleet", help="headless demo stations in other communities (demo)")
    add_data_dir(parser)
    parser.add_argument("--platform", required=True, help="the platform's URL")
    parser.add_argument("--stations", type=int, default=3, help="how many (default 3)")
    parser.add_argument("--period", type=float, default=0, help="seconds between heartbeats "
                        "(default: what the platform asks for at enrolment)")
    parser.add_argument("--issue-chance", type=float, default=0.2,
                        help="chance per beat that a station issues a certificate")
    parser.add_argument("--fault-chance", type=float, default=0.03,
                        help="chance per beat that a station's device faults for a few beats")
    parser.set_defaults(run=run, log_default="INFO")


@dataclass
class FleetStation:
    station_id: str
    station_code: str
    community_code: str
    name: str
    folder: Path
    request_key: Any = None
    certificate_key: Any = None
    seq: int = 0
    serial: int = 0
    fault: tuple[str, str, str] | None = None
    fault_beats: int = 0
    pending: dict[str, Any] | None = None  # the next event batch, kept before it is sent
    started: float = field(default_factory=lambda: datetime.now(UTC).timestamp())

    def load_or_make_keys(self) -> None:
        from backend.shared.tokens import generate_signer, load_signer, save_signer

        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for attribute, file in (("request_key", "request.pem"), ("certificate_key", "certificate.pem")):
            path = self.folder / file
            if not path.exists():
                save_signer(generate_signer(), path)
            setattr(self, attribute, load_signer(path))
        state = self.folder / "state.json"
        if state.exists():
            saved = json.loads(state.read_text(encoding="utf-8"))
            self.seq, self.serial = int(saved["seq"]), int(saved["serial"])
            self.pending = saved.get("pending")

    def save(self) -> None:
        from backend.shared.private_files import write_private_file

        write_private_file(self.folder / "state.json",
                           json.dumps({"seq": self.seq, "serial": self.serial, "pending": self.pending},
                                      ensure_ascii=False).encode())


def plan(data_dir: Path, count: int) -> list[FleetStation]:
    """The demo stations: one per other community of the seed district, then a second round."""
    from backend.shared.district import load_district

    district = load_district()
    others = [c for c in district.communities if not c.station] or district.communities
    stations = []
    for n in range(count):
        community = others[n % len(others)]
        number = n // len(others) + 1
        station_id = f"qs-{community.code[-6:]}-{number:02d}"
        stations.append(FleetStation(station_id, f"S{number:02d}", community.code,
                                     f"{community.zh}24小时智慧服务站", data_dir / "fleet" / station_id))
    return stations


def run(args: argparse.Namespace) -> int:
    from backend.platform.settings import load_settings

    data_dir = data_dir_of(args)
    admin = load_settings(data_dir=data_dir / "platform")
    stations = plan(data_dir, max(0, args.stations))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C on `kiosk up` stops the fleet too
        asyncio.run(_serve(args, stations, admin.admin_user, admin.effective_admin_password))
    return 0


async def _serve(args: argparse.Namespace, stations: list[FleetStation], user: str, password: str) -> None:
    from backend.shared.service_notify import notifying

    async with httpx.AsyncClient(base_url=args.platform.rstrip("/"), timeout=20) as client:
        period = args.period or await _enrol_all(client, stations, user, password)
        if args.period:
            await _enrol_all(client, stations, user, password)
        print(f"demo fleet: {len(stations)} stations heartbeating every {period:.0f} s: "
              + ", ".join(s.station_id for s in stations), flush=True)
        # SIGTERM (`kiosk up` stopping, a test) lets each station finish what it is sending first.
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        async with notifying(f"{len(stations)} demo stations"):
            await asyncio.gather(*(_beat_until(stop, client, s, period, args) for s in stations))


async def _enrol_all(client: httpx.AsyncClient, stations: list[FleetStation], user: str,
                     password: str) -> float:
    """Enrol each station unless it already is with these keys; return the heartbeat period."""
    signed_in = await client.post("/api/auth/login", json={"username": user, "password": password})
    signed_in.raise_for_status()
    staff = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    period = 30.0
    for station in stations:
        station.load_or_make_keys()
        period = await _enrol(client, staff, station) or period
    return period


async def _enrol(client: httpx.AsyncClient, staff: dict[str, str], station: FleetStation) -> float | None:
    from backend.shared.tokens import export_jwks

    found = await client.get(f"/api/staff/stations/{station.station_id}", headers=staff)
    if found.status_code == 404:
        created = await client.post("/api/staff/stations", headers=staff, json={
            "station_id": station.station_id, "name": station.name,
            "community_code": station.community_code, "station_code": station.station_code})
        created.raise_for_status()
    elif found.json().get("status") == "enrolled" and (station.folder / "enrolled").exists():
        return None
    code = (await client.post(f"/api/staff/stations/{station.station_id}/enrolment-codes",
                              headers=staff)).json()["code"]
    enrolled = await client.post("/api/sync/enroll", json={
        "code": code, "request_key": export_jwks([station.request_key.public_key])["keys"][0],
        "certificate_keys": export_jwks([station.certificate_key.public_key]),
        "outbox_start": station.seq + 1})
    enrolled.raise_for_status()
    (station.folder / "enrolled").write_text(datetime.now(UTC).isoformat())
    return float(enrolled.json().get("heartbeat_seconds") or 30)


async def _beat_until(stop: asyncio.Event, client: httpx.AsyncClient, station: FleetStation, period: float,
                      args: argparse.Namespace) -> None:
    if await _stopped(stop, random.uniform(0, min(period, 2.0))):  # on the console at once, spread out
        return
    while True:
        try:
            if station.pending is None and random.random() < args.issue_chance:
                # Kept before it is sent, as a station's outbox is: killed mid-send, the same event
                # goes again with the same seq, never another one in its place.
                station.pending = _issued(station)
                station.save()
            if station.pending is not None:
                await _send(client, station, "/api/sync/events", station.pending)
                station.seq, station.serial, station.pending = station.seq + 1, station.serial + 1, None
                station.save()
            _maybe_fault(station, args.fault_chance)
            await _send(client, station, "/api/sync/heartbeat", _heartbeat(station))
        except httpx.HTTPError as err:  # the platform restarting: try again next beat
            print(f"demo fleet: {station.station_id}: {err}", flush=True)
        if await _stopped(stop, period):
            return


async def _stopped(stop: asyncio.Event, seconds: float) -> bool:
    """Wait ``seconds`` or until told to stop; True when told."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


async def _send(client: httpx.AsyncClient, station: FleetStation, path: str, body: dict[str, Any]) -> None:
    from backend.shared.protocol import sign_request

    data = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    headers |= sign_request(method="POST", url=str(client.base_url) + path, headers=headers, body=data,
                            signer=station.request_key, keyid=station.station_id,
                            created=int(datetime.now(UTC).timestamp()))
    response = await client.post(path, content=data, headers=headers)
    response.raise_for_status()


def _maybe_fault(station: FleetStation, chance: float) -> None:
    if station.fault is not None:
        station.fault_beats -= 1
        if station.fault_beats <= 0:
            station.fault = None
    elif random.random() < chance:
        station.fault, station.fault_beats = random.choice(FAULTS), random.randint(2, 6)


def _heartbeat(station: FleetStation) -> dict[str, Any]:
    components = []
    for component, kind in KINDS.items():
        state, code = "READY", "OK"
        if station.fault is not None and station.fault[0] == component:
            code, state = station.fault[1], station.fault[2]
        components.append({"id": component, "kind": kind, "state": state, "code": code, "detail": "",
                           "simulated": True})
    paper = "empty" if station.fault is not None and station.fault[1] == "MEDIA_EMPTY" else "ok"
    now = datetime.now(UTC)
    return {"station_id": station.station_id, "sent_at": now.isoformat(), "version": "demo-fleet",
            "uptime_seconds": round(now.timestamp() - station.started, 1), "service_state": "AVAILABLE",
            "services": [{"code": c, "state": "AVAILABLE", "reason": None}
                         for c in ("certificates", "verify", "requests", "progress", "notices", "help")],
            "components": components, "paper_level": paper, "outbox_depth": 0,
            "outbox_oldest_age_seconds": 0, "disk_free_bytes": 40_000_000_000,
            "counters": {"certificates": station.serial, "requests": 0, "scans": 0, "print_failures": 0},
            "cursor": 0}


def _issued(station: FleetStation) -> dict[str, Any]:
    """The next certificate.issued event, with a real token signed by the station's certificate key
    (counted only once the platform has it, so a failed send is sent again with the same seq)."""
    from backend.shared.certificate_claims import CERTIFICATE_PREFIX, CertificateClaims
    from backend.shared.identifiers import certificate_identifier, format_serial
    from backend.shared.tokens import encode_token

    now = datetime.now(UTC).replace(microsecond=0)
    serial = format_serial(now.year, station.station_code, station.serial + 1)
    name = random.choice(NAMES)
    masked = "4601" + "*" * 13 + random.choice("0123456789X")
    claims = CertificateClaims(issuer=station.station_id, type_code="JZZM", serial=serial,
                               community_code=station.community_code, holder_name=name,
                               holder_id_masked=masked, holder_id_hash=bytes(16), purpose="school",
                               issued_at=now, expires_at=now + timedelta(days=90))
    token = encode_token(claims.to_cwt(), signer=station.certificate_key, prefix=CERTIFICATE_PREFIX,
                         issued_at=now, expires_at=claims.expires_at)
    certificate_id = str(uuid.uuid4())
    payload = {"id": certificate_id, "serial": serial, "issuer": station.station_id,
               "identifier": certificate_identifier("JZZM", "55" + station.community_code[:6] + "MB1234567X",
                                                    serial),
               "type_code": "JZZM", "community_code": station.community_code, "holder_name": name,
               "holder_id_masked": masked, "purpose": "school", "details": {}, "token": token,
               "issued_at": now.isoformat(), "expires_at": claims.expires_at.isoformat()}
    return {"station_id": station.station_id, "events": [{
        "seq": station.seq + 1, "type": "certificate.issued", "aggregate_id": certificate_id,
        "created_at": now.isoformat(), "payload": payload}]}
