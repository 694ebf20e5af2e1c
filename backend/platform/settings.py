"""Typed platform settings.

Precedence, strongest first: command-line options (``PlatformSettings(**options)``) >
``KIOSK_PLATFORM_*`` environment variables > the settings file > defaults. The settings file is
``KIOSK_PLATFORM_CONFIG`` if given, else ``<data dir>/platform.toml`` when it exists. The data
folder is ``--data-dir`` / ``KIOSK_PLATFORM_DATA_DIR``, else ``$KIOSK_DATA_DIR/platform``.
"""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from backend.shared import localtime
from backend.shared.settings_base import Environment, FileSettings, SettingsFile

DEMO_ADMIN_USER = "admin"
DEMO_ADMIN_PASSWORD = "kiosk-demo-admin"  # documented in the README; refused in production


__all__ = ["COMPONENT_ALERT_SECONDS", "DEMO_ADMIN_PASSWORD", "DEMO_ADMIN_USER", "Environment",
           "PlatformSettings", "database_url", "load_settings", "settings_file"]


def default_data_dir() -> Path:
    base = Path(os.environ.get("KIOSK_DATA_DIR", "data"))
    return (base / "platform").resolve()


SETTINGS_FILE = SettingsFile(config_var="KIOSK_PLATFORM_CONFIG", data_dir_var="KIOSK_PLATFORM_DATA_DIR",
                             name="platform.toml", default_dir=default_data_dir)
settings_file = SETTINGS_FILE.find


COMPONENT_ALERT_SECONDS = {"printer": 60, "idcard": 120, "scanner": 300, "camera": 600}


class PlatformSettings(FileSettings):
    """Everything the platform needs to know to run."""

    model_config = SettingsConfigDict(env_prefix="KIOSK_PLATFORM_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""  # empty: SQLite at <data dir>/platform.db
    environment: Environment = Environment.DEMO
    host: str = "127.0.0.1"
    port: int = Field(8480, ge=1, le=65535)
    public_url: str = ""  # the URL stations use, when a proxy changes scheme or host
    migrate: bool = True  # run migrations at start (kiosk platform runs them once for all workers)

    district_code: str = "460107"
    # The district's clock for everything people read (KIOSK_TIMEZONE, shared with the
    # station; KIOSK_PLATFORM_TIMEZONE wins when both are set).
    timezone: str = Field(localtime.DEFAULT_TIMEZONE, validation_alias=AliasChoices(
        "KIOSK_PLATFORM_TIMEZONE", "KIOSK_TIMEZONE", "timezone"))
    signature_window_seconds: int = Field(300, ge=10, le=3600)
    enrolment_code_minutes: int = Field(60 * 24, ge=1, le=60 * 24 * 30)
    # A station killed is noticed within offline_after + sweep (45 s) and its first notification
    # follows a few seconds later: under a minute from kill -9 to the webhook. 40 s still lets
    # one heartbeat (every 15 s) go missing without an alert.
    heartbeat_seconds: int = Field(15, ge=1, le=3600)
    offline_after_seconds: int = Field(40, ge=2, le=86400)
    sweep_seconds: float = Field(5.0, gt=0, le=600)
    outbox_alert_depth: int = Field(500, ge=1)
    outbox_alert_age_seconds: int = Field(900, ge=1)
    print_failure_alert_count: int = Field(2, ge=1)
    # How long a device must stay unavailable before it alerts, per component (seconds; a JSON
    # object in KIOSK_PLATFORM_COMPONENT_ALERT_SECONDS overrides some or all): a cover opened to
    # change the paper stays quiet. Paper out and jams alert at once (their own alerts).
    component_alert_seconds: dict[str, int] = Field(default_factory=lambda: dict(COMPONENT_ALERT_SECONDS))
    heartbeat_history_days: int = Field(3, ge=1)  # 2,880 rows a day per station at 30 s
    # A register import removing more than this share of the residents needs a second "yes".
    register_removal_share: float = Field(0.2, ge=0, le=1)

    token_minutes: int = Field(60, ge=1, le=24 * 60)
    max_failed_logins: int = Field(5, ge=1)
    lockout_minutes: int = Field(15, ge=1)
    admin_user: str = DEMO_ADMIN_USER
    admin_password: str = ""
    # scrypt's cost N = 2**log_n for new hashes (older, weaker ones are redone at sign-in); OWASP's
    # 17 takes 128 MiB and a noticeable fraction of a second: tests set 14.
    password_scrypt_log_n: int = Field(17, ge=10, le=20)
    # Sign-in attempts per client address and per user name within the window (see ratelimit.py).
    login_rate_per_ip: int = Field(30, ge=1)
    login_rate_per_user: int = Field(10, ge=1)
    login_rate_window_seconds: int = Field(60, ge=1)
    # Notifications to staff (backend/platform/services/notify): grouping, quiet hours, escalation, e-mail.
    notify: bool = True  # the worker that sends them (off: the outbox just fills up)
    notify_poll_seconds: float = Field(1.0, gt=0, le=60)
    notify_group_wait_seconds: float = Field(2.0, ge=0, le=600)  # a firing message waits for its group
    notify_group_window_seconds: int = Field(300, ge=10, le=86400)  # same cause, same street, this window
    notify_quiet_start: time = time(22, 0)  # local time; non-critical messages wait until the end
    notify_quiet_end: time = time(7, 0)
    notify_escalate_minutes: int = Field(15, ge=1, le=24 * 60)
    notify_max_attempts: int = Field(8, ge=1, le=100)
    notify_backoff_seconds: float = Field(2.0, gt=0, le=3600)
    notify_smtp_host: str = ""
    notify_smtp_port: int = Field(587, ge=1, le=65535)
    notify_smtp_username: str = ""
    notify_smtp_password: str = ""
    notify_smtp_sender: str = "kiosk-alerts@localhost"
    notify_smtp_starttls: bool = True
    notify_smtp_verify_tls: bool = True
    api_docs: bool | None = None  # /docs and /openapi.json; None: on in the demo only
    metrics_token: str = ""  # bearer token /metrics wants in production (without one it is closed)

    @field_validator("component_alert_seconds")
    @classmethod
    def _fault_durations(cls, given: dict[str, int]) -> dict[str, int]:
        if any(v < 0 for v in given.values()):
            raise ValueError("component alert durations are seconds, 0 or more")
        return COMPONENT_ALERT_SECONDS | given

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return localtime.checked_name(value)

    @model_validator(mode="after")
    def _production_has_real_secrets(self) -> PlatformSettings:
        if self.environment is Environment.PRODUCTION:
            if not self.admin_password or self.admin_password == DEMO_ADMIN_PASSWORD:
                raise ValueError("production needs KIOSK_PLATFORM_ADMIN_PASSWORD (not the demo one)")
            if len(self.admin_password) < 12:
                raise ValueError("KIOSK_PLATFORM_ADMIN_PASSWORD must have 12 characters or more")
        return self

    @property
    def effective_database_url(self) -> str:
        return database_url(self.database_url) if self.database_url else \
            f"sqlite:///{self.data_dir / 'platform.db'}"

    @property
    def effective_admin_password(self) -> str:
        return self.admin_password or (DEMO_ADMIN_PASSWORD if self.environment is Environment.DEMO else "")

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.environment is Environment.DEMO

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @classmethod
    def settings_file(cls, data_dir: Path | None = None) -> Path | None:
        return SETTINGS_FILE.find(data_dir)


def database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given without a driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_settings(**options: Any) -> PlatformSettings:
    """Build settings from options (None values are left to the other sources)."""
    return PlatformSettings.from_options(**options)
