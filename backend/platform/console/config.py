"""Console settings: cookie security (``KIOSK_CONSOLE_*``; the platform's own settings stay apart)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    """How the console's cookies are made.

    ``map_tiles``: the map page's base layer (``KIOSK_CONSOLE_MAP_TILES``, a URL with ``{z}``, ``{x}``
    and ``{y}``); without it the map is the schematic view by area, which works offline.

    ``secure_cookies``: None sets the Secure flag when the request came over HTTPS (or the
    platform's public URL is https); True or False forces it (``KIOSK_CONSOLE_SECURE_COOKIES``).
    """

    model_config = SettingsConfigDict(env_prefix="KIOSK_CONSOLE_", extra="ignore")

    secure_cookies: bool | None = None
    default_language: str = "zh"
    # The map's base layer: a tile server URL with {z}/{x}/{y} (e.g. a district's own server).
    # Empty (the default): the map page shows the schematic view by area, which needs no network.
    map_tiles: str = ""
    map_attribution: str = ""
    map_center: tuple[float, float] = (20.03, 110.35)  # latitude, longitude (Haikou)
    map_zoom: int = 13
    # Where each station stands: {"guilin-01": [20.02, 110.34], ...} (JSON in the environment).
    station_positions: dict[str, tuple[float, float]] = {}


@lru_cache(maxsize=1)
def console_settings() -> ConsoleSettings:
    """Read the console settings once per process."""
    return ConsoleSettings()
