"""Console settings: cookie security (``KIOSK_CONSOLE_*``; the platform's own settings stay apart)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    """How the console's cookies are made.

    ``secure_cookies``: None sets the Secure flag when the request came over HTTPS (or the
    platform's public URL is https); True or False forces it (``KIOSK_CONSOLE_SECURE_COOKIES``).
    """

    model_config = SettingsConfigDict(env_prefix="KIOSK_CONSOLE_", extra="ignore")

    secure_cookies: bool | None = None
    default_language: str = "zh"


@lru_cache(maxsize=1)
def console_settings() -> ConsoleSettings:
    """Read the console settings once per process."""
    return ConsoleSettings()
