"""Everything a platform worker holds, built once from its settings; and the periodic sweep.

Tests build a runtime with their own clock and hand it to ``create_app``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import assets
from backend.shared.migrations import upgrade
from backend.shared.privacy import IdProtector, community_hash_key, load_or_create_secret, make_private
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.contact import ContactOpener, load_or_create_contact_key
from backend.shared.volunteers.config import load_volunteer_config

from .clock import Clock, SystemClock
from .db.session import make_engine, make_session_factory, write_transaction
from .leadership import Leadership
from .live import LiveBus, live_bus_for
from .metrics import PlatformMetrics
from .services import accounts, alerts, heartbeat, nonces, rekey
from .services.bootstrap import bootstrap
from .services.certificates.identity import identity_keys, publish_identity_keys
from .services.notify.dispatch import Policy, escalate_due
from .services.notify.senders import Senders, SmtpSettings
from .services.notify.worker import NotifyWorker, Retry
from .services.ratelimit import LoginLimiter
from .services.station_identities import IdentityCache
from .services.tickets.escalation import sweep as sweep_tickets
from .services.volunteers.needs import sweep as sweep_needs
from .settings import Environment, PlatformSettings

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass
class PlatformRuntime:
    settings: PlatformSettings
    engine: Engine
    db: sessionmaker[Session]
    clock: Clock
    live: LiveBus
    protector: IdProtector  # the district-keyed hash; residents are hashed per community (below)
    id_hash_key: bytes  # the district key every station holds (the inner step of a resident's hash)
    hash_master: bytes  # never leaves the platform: each community's hash key derives from it
    contact: ContactOpener  # opens residents' contact details sealed to the platform's key
    metrics: PlatformMetrics = field(default_factory=PlatformMetrics)
    identities: IdentityCache = field(init=False)  # who signs sync requests, a few seconds at a time
    login_limiter: LoginLimiter = field(init=False)  # sign-in attempts of this worker
    _stop: threading.Event = field(default_factory=threading.Event)
    _sweeper: threading.Thread | None = None
    leadership: Leadership = field(init=False)  # one worker sweeps at a time (PostgreSQL advisory lock)
    notifier: NotifyWorker = field(init=False)  # sends what the outbox holds, apart from ingest
    _notifying: threading.Thread | None = None
    # Since when this worker has been able to hear stations. Silence from before it was up is
    # the platform's own outage, not the stations': see sweep_once.
    listening_since: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.listening_since = self.clock.now()
        self.identities = IdentityCache(self.db)
        self.leadership = Leadership(self.engine)
        self.login_limiter = LoginLimiter(per_ip=self.settings.login_rate_per_ip,
                                          per_user=self.settings.login_rate_per_user,
                                          seconds=self.settings.login_rate_window_seconds)
        self.notifier = build_notifier(self.settings, self.db)

    def community_protector(self, community_code: str) -> IdProtector:
        """Hashes ID numbers the way the community's stations do."""
        return self.protector.for_community(community_hash_key(self.hash_master, community_code))

    def start(self) -> None:
        self.live.start()
        self._stop.clear()
        self._sweeper = threading.Thread(target=self._sweep_forever, name="platform-sweep", daemon=True)
        self._sweeper.start()
        if self.settings.notify:
            self._notifying = threading.Thread(target=self._notify_forever, name="platform-notify",
                                               daemon=True)
            self._notifying.start()

    def stop(self) -> None:
        self._stop.set()
        if self._sweeper is not None:
            self._sweeper.join(5)
        self.leadership.release()
        if self._notifying is not None:
            self._notifying.join(15)
        self.live.stop()
        self.engine.dispose()

    def publish(self, notes: list[dict[str, Any]]) -> None:
        """Send live notes (after their transaction committed) to every worker's subscribers."""
        for note in notes:
            self.live.publish(note)

    def sweep_once(self) -> list[dict[str, Any]]:
        """Open offline alerts for silent stations; forget expired nonces and old history; escalate
        tickets whose deadlines passed."""
        now = self.clock.now()
        notes: list[dict[str, Any]] = []
        with write_transaction(self.db) as session:
            for station_id in self._silent_stations(session, now):
                alerts.set_alert(session, station_id=station_id, kind=alerts.OFFLINE, active=True,
                                 detail=f"no heartbeat for {self.settings.offline_after_seconds} s",
                                 now=now, notes=notes)
                notes.append({"type": "station.state", "station_id": station_id, "online": False})
            for station_id in alerts.fault_candidates(session):
                alerts.evaluate_faults(session, station_id=station_id, now=now,
                                       after=self.settings.component_alert_seconds, notes=notes)
            window = self.settings.signature_window_seconds
            nonces.prune(session, older_than=int(now.timestamp()) - window - 60)
            heartbeat.prune_history(session, now=now, days=self.settings.heartbeat_history_days)
            escalate_due(session, policy=self.notifier.policy, now=now)  # critical, unacknowledged
        notes += sweep_tickets(self.db, config=load_ticket_config(), now=now)  # warn and escalate
        notes += sweep_needs(self.db, config=load_volunteer_config(), now=now)  # up the command structure
        self.publish(notes)
        return notes

    def _silent_stations(self, session: Session, now: datetime) -> list[str]:
        """Stations to declare offline: silent past the limit, counted from when this worker could
        first hear them. A platform back from its own outage (a restart, a crash, a database
        failover) would otherwise find every station silent, open an alert for each — thousands of
        false alarms to staff at once — and send every station's next beat down the full path
        together. The stations' retries (full jitter, at most 60 s apart) reach it well within the
        limit; a station still silent then is declared offline as before, at most one limit late."""
        limit = self.settings.offline_after_seconds
        if now - self.listening_since < timedelta(seconds=limit):
            return []
        return alerts.offline_candidates(session, now=now, offline_after=limit)

    def _sweep_forever(self) -> None:
        while not self._stop.wait(self.settings.sweep_seconds):
            try:
                if self.leadership.held():  # another worker sweeps while it holds the lock
                    self.sweep_once()
            except Exception:  # the sweep must outlive a database hiccup
                log.exception("platform sweep failed; trying again next time")


    def _notify_forever(self) -> None:
        while not self._stop.wait(self.settings.notify_poll_seconds):
            try:
                while self.notifier.run_once(self.clock.now()):
                    pass  # more may be due: keep going until nothing is claimed
            except Exception:  # a database hiccup must not end notifications
                log.exception("notification worker failed; trying again next time")


def build_notifier(settings: PlatformSettings, factory: sessionmaker[Session]) -> NotifyWorker:
    """The notification worker with the settings' policy, senders and console address."""
    policy = Policy(district_code=settings.district_code,
                    group_window=timedelta(seconds=settings.notify_group_window_seconds),
                    group_wait=timedelta(seconds=settings.notify_group_wait_seconds),
                    quiet_start=settings.notify_quiet_start, quiet_end=settings.notify_quiet_end,
                    escalate_after=timedelta(minutes=settings.notify_escalate_minutes),
                    calendar=load_ticket_config().calendar)
    smtp = SmtpSettings(host=settings.notify_smtp_host, port=settings.notify_smtp_port,
                        username=settings.notify_smtp_username, password=settings.notify_smtp_password,
                        sender=settings.notify_smtp_sender, starttls=settings.notify_smtp_starttls,
                        verify_tls=settings.notify_smtp_verify_tls)
    console = (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    return NotifyWorker(factory, policy, Senders(smtp=smtp), console,
                        Retry(settings.notify_max_attempts, settings.notify_backoff_seconds))


def data_protector(settings: PlatformSettings) -> IdProtector:
    """The platform's district hash and data keys (made on first use, 0600)."""
    keys = settings.keys_dir
    return IdProtector(load_or_create_secret(keys / "idhash.key"), load_or_create_secret(keys / "data.key"))


def build_runtime(settings: PlatformSettings, *, clock: Clock | None = None,
                  live: LiveBus | None = None) -> PlatformRuntime:
    """Prepare the data folder, the database (migrated, bootstrapped) and the keys."""
    make_private(settings.data_dir, "platform.db")
    url = settings.effective_database_url
    engine = make_engine(url)
    keys = settings.keys_dir
    hash_key = load_or_create_secret(keys / "idhash.key")
    protector = data_protector(settings)
    factory = make_session_factory(engine, protector=protector)
    contact = ContactOpener(load_or_create_contact_key(keys / "contact.key"), legacy_secret=hash_key)
    runtime = PlatformRuntime(settings=settings, engine=engine, db=factory, clock=clock or SystemClock(),
                              live=live or live_bus_for(url), protector=protector, id_hash_key=hash_key,
                              hash_master=load_or_create_secret(keys / "idhash-master.key"), contact=contact)
    if settings.migrate:
        prepare_database(runtime)
    return runtime


def prepare_database(runtime: PlatformRuntime) -> None:
    """Migrate and bootstrap (run once, before the workers start)."""
    upgrade(runtime.engine, MIGRATIONS, protector=runtime.protector)
    demo = runtime.settings.environment is Environment.DEMO
    now: datetime = runtime.clock.now()
    # Before anything new is hashed: what is stored under the leaked district key is re-keyed.
    rekey.finish(runtime.db, community_key=lambda code: community_hash_key(runtime.hash_master, code),
                 contact=runtime.contact, now=now)
    bootstrap(runtime.db, community_file=assets.path("register", "community.yaml"),
              catalog_file=assets.path("catalog", "certificates.yaml"),
              admin_user=runtime.settings.admin_user,
              admin_password=runtime.settings.effective_admin_password,
              demo_register=assets.path("register", "demo_register.csv") if demo else None,
              protector=runtime.community_protector, now=now, log_n=runtime.settings.password_scrypt_log_n)
    with write_transaction(runtime.db) as session:  # the key is made here, before any worker starts
        publish_identity_keys(session, jwks=identity_keys(runtime.settings.keys_dir).jwks(), now=now)
    if not demo:  # a database carried over from a demo must not open with the documented password
        with runtime.db() as session:
            accounts.refuse_demo_passwords(session)
