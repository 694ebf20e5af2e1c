"""Typed station settings.

Precedence, strongest first: command-line options (passed to ``StationSettings(**options)``) >
``KIOSK_*`` environment variables > the settings file > defaults. The settings file is
``--config``/``KIOSK_CONFIG`` if given, else ``<data dir>/kiosk.toml`` when it exists.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from backend.shared import localtime
from backend.shared.settings_base import Environment, FileSettings, SettingsFile
from devices.errors import DeviceConfigError
from devices.urls import PRINTER_SCHEMES, SERIAL_SCHEMES, parse_device_url

DEMO_STAFF_TOKEN = "demo-staff-token"
DEMO_TECHNICIAN_PIN = "00000000"


__all__ = ["DEMO_STAFF_TOKEN", "DEMO_TECHNICIAN_PIN", "Environment", "StationSettings", "load_settings",
           "settings_file"]


def default_data_dir() -> Path:
    return Path(os.environ.get("KIOSK_DATA_DIR", "data")).resolve()


SETTINGS_FILE = SettingsFile(config_var="KIOSK_CONFIG", data_dir_var="KIOSK_DATA_DIR", name="kiosk.toml",
                             default_dir=default_data_dir)
settings_file = SETTINGS_FILE.find


class StationSettings(FileSettings):
    """Everything a station needs to know to run."""

    model_config = SettingsConfigDict(env_prefix="KIOSK_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    environment: Environment = Environment.DEMO
    station_id: str = "demo-station-1"
    station_name_zh: str = "桂林社区24小时智慧服务站"
    station_name_en: str = "Guilin Community 24-hour Service Station"
    community_code: str = "460107002001"
    timezone: str = localtime.DEFAULT_TIMEZONE  # the district's clock for what people read

    host: str = "127.0.0.1"
    # The API serves the kiosk's own programs; production refuses another address unless told.
    allow_remote_api: bool = False
    port: int = Field(8470, ge=1, le=65535)

    printer: str = "sim://"
    printer_profile: str = "58mm"
    idcard: str = "sim://"
    scanner: str = "sim://"
    camera: str = "sim://"

    platform_url: str = ""  # overrides the URL from enrolment (e.g. behind a proxy)
    sync_interval_seconds: float = Field(2.0, gt=0, le=600)
    sync_batch_size: int = Field(200, ge=1, le=1000)
    sync_backoff_base_seconds: float = Field(0.5, gt=0, le=60)
    sync_backoff_max_seconds: float = Field(60.0, gt=0, le=3600)
    heartbeat_seconds: int = Field(0, ge=0, le=3600)  # 0: what the platform asks for

    # Updates over the air (station/updates): the release root (/opt/kiosk when installed; unset,
    # e.g. running from a clone, updates are off), the keys set at install, a download rate limit.
    update_root: Path | None = None
    release_keys_file: Path = Path("/etc/kiosk/release-keys.jwks.json")
    update_rate_bytes: int = Field(2_000_000, ge=0)  # per second; 0: no limit
    update_health_seconds: float = Field(120.0, gt=0, le=600)
    # venv: the release's own environment from its wheels (production); unpacked: its wheel run by
    # this interpreter with this environment's dependencies (development machines, tests).
    update_installer: Literal["venv", "unpacked"] = "venv"

    session_idle_seconds: int = Field(90, ge=10, le=3600)
    card_poll_seconds: float = Field(0.5, gt=0, le=10)
    # A card placed this recently still identifies a visit that starts after it (it woke the
    # kiosk); an older one was left behind and never does. Keep it under the kiosk's 60 s
    # take-your-card reminder, so a forgotten card cannot identify the next resident.
    card_fresh_seconds: float = Field(45.0, ge=0, le=55)
    printer_poll_seconds: float = Field(5.0, gt=0, le=300)
    certificate_validity_days: int = Field(90, ge=1, le=3650)
    technician_pin: str = ""
    pin_lockout_after: int = Field(10, ge=3, le=100)  # wrong PINs in a row before maintenance locks
    pin_lockout_seconds: int = Field(900, ge=1, le=86400)
    staff_token: str = ""  # bearer token of the station's staff API (approvals) until the console
    # Per-person staff tokens, {token: name} (KIOSK_STAFF_TOKENS as JSON): a decision records the
    # name of the token it came with. The shared staff_token decides as "station-staff".
    staff_tokens: dict[str, str] = Field(default_factory=dict)
    api_docs: bool | None = None  # /docs and /openapi.json; None: on in the demo only

    # Running unattended: backups, logs, disk, clock (see docs/operations.md).
    backup_hour: int = Field(3, ge=0, le=23)  # local hour (the timezone setting) of the daily backup
    backup_dir: Path | None = None  # default <data dir>/backups
    backup_keep_daily: int = Field(7, ge=1, le=366)
    backup_keep_weekly: int = Field(4, ge=0, le=104)
    disk_low_mb: int = Field(500, ge=0)  # below this much free space: alert and prune
    clock_skew_alert_seconds: int = Field(120, ge=1)  # against the platform's clock
    log_max_bytes: int = Field(10 * 1024 * 1024, ge=64 * 1024)  # per log file before it rotates
    log_backup_count: int = Field(5, ge=1, le=100)

    @field_validator("printer")
    @classmethod
    def _printer_url(cls, value: str) -> str:
        return _checked_url(value, PRINTER_SCHEMES)

    @field_validator("idcard", "scanner")
    @classmethod
    def _serial_url(cls, value: str) -> str:
        return _checked_url(value, SERIAL_SCHEMES) if value else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return localtime.checked_name(value)

    @model_validator(mode="after")
    def _production_is_real(self) -> StationSettings:
        if self.environment is Environment.PRODUCTION:
            simulated = [n for n in ("printer", "idcard", "scanner", "camera") if getattr(self, n) == "sim://"]
            if simulated:
                raise ValueError(
                    f"production refuses simulated devices: set real URLs for {', '.join(simulated)}"
                )
            if not _is_loopback(self.host) and not self.allow_remote_api:
                raise ValueError(f"production serves the station API on loopback only, not {self.host} "
                                 "(set KIOSK_ALLOW_REMOTE_API=true to allow it)")
            if self.staff_tokens:
                if any(len(t) < 16 or t == DEMO_STAFF_TOKEN or not n.strip()
                       for t, n in self.staff_tokens.items()):
                    raise ValueError("every KIOSK_STAFF_TOKENS token needs 16+ characters and a name")
            elif len(self.staff_token) < 16 or self.staff_token == DEMO_STAFF_TOKEN:
                raise ValueError("production needs KIOSK_STAFF_TOKENS (per person) or KIOSK_STAFF_TOKEN "
                                 "(16+ characters, not the demo one)")
            if not (self.technician_pin.isdigit() and len(self.technician_pin) >= 8) \
                    or self.technician_pin == DEMO_TECHNICIAN_PIN or len(set(self.technician_pin)) == 1:
                raise ValueError("production needs KIOSK_TECHNICIAN_PIN: 8 or more digits, not the demo's "
                                 "and not one digit repeated")
        return self

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'station.db'}"

    @property
    def backups_dir(self) -> Path:
        return self.backup_dir or self.data_dir / "backups"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def sim_dir(self) -> Path:
        return self.data_dir / "sim"

    @property
    def effective_technician_pin(self) -> str:
        return self.technician_pin or (DEMO_TECHNICIAN_PIN if self.environment is Environment.DEMO else "")

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.environment is Environment.DEMO

    @property
    def effective_staff_token(self) -> str:
        return self.staff_token or (DEMO_STAFF_TOKEN if self.environment is Environment.DEMO else "")

    @classmethod
    def settings_file(cls, data_dir: Path | None = None) -> Path | None:
        return SETTINGS_FILE.find(data_dir)


def _checked_url(value: str, schemes: frozenset[str]) -> str:
    try:
        parse_device_url(value, allowed=schemes)
    except DeviceConfigError as err:
        raise ValueError(str(err)) from err
    return value


def load_settings(**options: Any) -> StationSettings:
    """Build settings from options (None values are left to the other sources)."""
    return StationSettings.from_options(**options)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
