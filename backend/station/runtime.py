"""Everything a running station holds, built once from its settings.

Tests build a runtime with their own clock or device manager and hand it to ``create_app``; the
background workers that run beside it (sync, updates, backups, housekeeping) are in lifecycle.py.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

import assets
from backend.shared.catalog import Catalog, load_catalog
from backend.shared.certificate_copy import issuer_name
from backend.shared.migrations import upgrade
from backend.shared.privacy import make_private
from backend.shared.register_file import read_register_path
from backend.shared.tokens import KeyBinding, KeySet
from devices.idcard.card import IdCard

from .backup.schedule import backup_before_migration
from .clock import Clock, SteadyClock, SystemClock
from .db.models import PrintJob
from .db.session import make_engine, make_session_factory, write_transaction
from .events import EventBus
from .hardware.manager import DeviceManager
from .services.applications import outcomes_for
from .services.community_activities import promotions as community_outcomes
from .services.issuing import IssuerContext
from .services.keys import StationKeys
from .services.parts import PartState
from .services.pin_guard import PinGuard
from .services.register import register_size, replace_register
from .services.screen import ScreenCaptures
from .services.sessions import Identity, ResidentSession, SessionManager
from .services.storage import StorageGuard
from .settings import StationSettings
from .sync.enrolment import Enrolment, load_enrolment

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Community:
    code: str
    name_zh: str
    name_en: str
    address_prefix_zh: str
    issuer_code: str

    @classmethod
    def load(cls, path: Path) -> Community:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(code=str(raw["code"]), name_zh=raw["name"]["zh"], name_en=raw["name"]["en"],
                   address_prefix_zh=raw["address_prefix"]["zh"], issuer_code=raw["issuer_code"])


class SyncLink(Protocol):
    """What the station's services see of the sync worker: how it fares, and a nudge."""

    @property
    def failures(self) -> int: ...

    def wake(self) -> None: ...


@dataclass
class StationRuntime:
    settings: StationSettings
    engine: Engine
    db: sessionmaker[Session]
    bus: EventBus
    clock: Clock
    keys: StationKeys
    catalog: Catalog
    community: Community
    sessions: SessionManager
    devices: DeviceManager
    enrolment: Enrolment | None = None  # set once `kiosk enroll` has run
    sync: SyncLink | None = None  # the sync worker while enrolled and running
    storage: StorageGuard | None = None  # watches the disk while the station runs
    revoked: frozenset[tuple[str, str]] = frozenset()  # (issuer, serial) the platform revoked
    suspended_reason: str | None = None  # why staff took the station out of service, if they did
    clock_skew_seconds: float | None = None  # how far off the platform's clock, at the last sync
    release_version: str | None = None  # the release the updater runs, when it runs one
    parts: dict[str, PartState] = field(default_factory=dict)  # the supervisor's last reports
    pin_guard: PinGuard = field(init=False)  # the technician PIN against guessing
    # The clock that judges tokens: never backwards, even when the system clock steps back.
    token_clock: SteadyClock = field(init=False)
    screen_captures: ScreenCaptures = field(init=False)  # staff's screenshots, waiting for the UI

    def __post_init__(self) -> None:
        self.pin_guard = PinGuard(time.monotonic, lockout_after=self.settings.pin_lockout_after,
                                  lockout_seconds=self.settings.pin_lockout_seconds)
        self.token_clock = SteadyClock(self.clock)
        self.screen_captures = ScreenCaptures(self.bus)

    @property
    def storage_fault(self) -> str | None:
        """Why services that save records are out of service (a full disk), or None."""
        return self.storage.fault if self.storage is not None else None

    @property
    def issuer(self) -> IssuerContext:
        return IssuerContext(station_id=self.settings.station_id, station_code=self.station_code,
                             community_code=self.community.code,
                             issuer_code=self.community.issuer_code,
                             address_prefix=self.community.address_prefix_zh,
                             signer=self.keys.signer)

    def trust(self) -> KeySet:
        """The keys certificates are verified with, this station's own bound to it."""
        return self.keys.trust(owner=KeyBinding(station_id=self.settings.station_id,
                                                community_code=self.community.code,
                                                station_code=self.station_code))

    @property
    def station_code(self) -> str:
        return station_code_of(self.settings, self.enrolment)

    @property
    def issuer_name(self) -> str:
        return issuer_name(self.community.name_zh)

    def identify_card(self, card: IdCard) -> None:
        """Hand a card just read to the session waiting for it (never stored, never logged)."""
        number = card.id_number.reveal()
        identity = Identity(id_hash=self.keys.protector.lookup_hash(number),
                            id_masked=card.id_number.masked, name=card.name,
                            sex=card.sex.label("zh"), birth_date=card.birth_date, source="idcard")
        self.identify(identity)

    def identify(self, identity: Identity) -> ResidentSession | None:
        """Identify the waiting session, telling the resident what became of their applications."""
        if self.sessions.waiting() is None:
            return None
        outcomes = outcomes_for(self.db, identity, now=self.clock.now())
        outcomes += community_outcomes(self.db, identity, now=self.clock.now())  # waiting list moves
        return self.sessions.identify(identity, data={"outcomes": outcomes})


def station_code_of(settings: StationSettings, enrolment: Enrolment | None) -> str:
    """The station's code in its serials: the platform's once enrolled, else from its id."""
    if enrolment is not None:
        return enrolment.station_code
    return "S" + "".join(ch for ch in settings.station_id if ch.isdigit())[-2:].rjust(2, "0")


def own_key_binding(settings: StationSettings) -> KeyBinding:
    """This station as the holder of its signing keys (for tools that run beside it)."""
    enrolment = load_enrolment(settings.data_dir)
    station_id = enrolment.station_id if enrolment is not None else settings.station_id
    community = Community.load(assets.path("register", "community.yaml"))
    return KeyBinding(station_id=station_id, community_code=community.code,
                      station_code=station_code_of(settings, enrolment))


def build_runtime(settings: StationSettings, *, clock: Clock | None = None) -> StationRuntime:
    """Prepare the data folder, the database, the keys and the devices of a station."""
    make_private(settings.data_dir, "station.db")
    enrolment = load_enrolment(settings.data_dir)
    if enrolment is not None:  # the platform's names win over the defaults
        settings = settings.model_copy(update={"station_id": enrolment.station_id,
                                               "community_code": enrolment.community_code})
    if settings.update_root is not None:  # a rolled-back update puts its backup back first
        from .updates.boot import finish_rollback

        log.info("updates: %s", finish_rollback(settings))
    engine = make_engine(settings.database_url)
    clock = clock or SystemClock()
    backup_before_migration(settings, engine, MIGRATIONS, clock.now())
    keys = StationKeys(settings.keys_dir)
    upgrade(engine, MIGRATIONS, protector=keys.protector)
    factory = make_session_factory(engine, protector=keys.protector)
    bus = EventBus()
    runtime = StationRuntime(
        settings=settings, engine=engine, db=factory, bus=bus, clock=clock, keys=keys,
        catalog=load_catalog(assets.path("catalog", "certificates.yaml")),
        community=Community.load(assets.path("register", "community.yaml")),
        sessions=SessionManager(clock=clock, idle_seconds=settings.session_idle_seconds, bus=bus),
        devices=DeviceManager(settings, bus), enrolment=enrolment,
    )
    runtime.devices.on_card(runtime.identify_card)
    runtime.sessions.on_start(lambda _session: runtime.devices.expect_card())
    _recover_interrupted_jobs(runtime)
    _seed_demo_register(runtime)
    return runtime


def _recover_interrupted_jobs(runtime: StationRuntime) -> None:
    with write_transaction(runtime.db) as session:
        result = session.execute(update(PrintJob).where(PrintJob.result == "printing")
                                 .values(result="interrupted", finished_at=runtime.clock.now()))
    count = getattr(result, "rowcount", 0) or 0
    if count:
        log.warning("%d print job(s) were interrupted by a stop; their certificates can be reprinted",
                    count)


def _seed_demo_register(runtime: StationRuntime) -> None:
    """In the demo, start with the synthetic register so the journey works out of the box."""
    if runtime.settings.environment != "demo" or runtime.enrolment is not None:
        return  # enrolled: the register comes from the platform
    with runtime.db() as session:
        if register_size(session):
            return
    parsed = read_register_path(assets.path("register", "demo_register.csv"), date.today())
    report = replace_register(runtime.db, runtime.keys.protector, parsed, now=runtime.clock.now())
    log.info("demo register loaded: %d residents", report.imported)
