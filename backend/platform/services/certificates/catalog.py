"""The certificate catalog the platform publishes to stations, loaded once per process."""

from __future__ import annotations

from functools import cache

import assets
from backend.shared.catalog import Catalog, load_catalog


@cache
def catalog() -> Catalog:
    """The catalog file under assets/ (the one ``kiosk platform`` publishes at start-up)."""
    return load_catalog(assets.path("catalog", "certificates.yaml"))
