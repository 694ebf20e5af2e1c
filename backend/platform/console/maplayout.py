"""The map page's two views. The schematic view (the default, and the only one without a tile
server) draws each area as a box holding its stations and its open tickets, coloured by state and
said in words; it needs nothing from the network. The tile view lays out the configured tile
server's images (Web Mercator, 256 px tiles) as plain <img> elements, with the stations and the
tickets that carry a position as markers on top: positions are percentages of the map's box, so
the map scales to any screen, and no map library or script is needed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

TILE = 256


@dataclass(frozen=True)
class Tile:
    url: str
    left: float  # percent of the box
    top: float
    size_w: float
    size_h: float


@dataclass(frozen=True)
class Marker:
    kind: str  # station or ticket
    key: str
    label: str
    state: str  # a colour class: ok, warn, bad, off, info
    left: float
    top: float


def world_pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """A position in Web Mercator pixels at a zoom level."""
    scale = TILE * 2**zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lon + 180.0) / 360.0 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


@dataclass(frozen=True)
class View:
    """The box of the map in world pixels."""

    zoom: int
    x0: float
    y0: float
    width: int
    height: int

    @classmethod
    def around(cls, center: tuple[float, float], zoom: int, width: int = 1024, height: int = 640) -> View:
        cx, cy = world_pixel(center[0], center[1], zoom)
        return cls(zoom, cx - width / 2, cy - height / 2, width, height)

    def place(self, lat: float, lon: float) -> tuple[float, float] | None:
        """Where a position lies in the box, in percent (None: outside)."""
        x, y = world_pixel(lat, lon, self.zoom)
        left, top = (x - self.x0) / self.width * 100, (y - self.y0) / self.height * 100
        return (round(left, 3), round(top, 3)) if 0 <= left <= 100 and 0 <= top <= 100 else None

    def tiles(self, template: str) -> list[Tile]:
        """The tiles covering the box."""
        count = 2**self.zoom
        first_x, first_y = int(self.x0 // TILE), int(self.y0 // TILE)
        last_x, last_y = int((self.x0 + self.width) // TILE), int((self.y0 + self.height) // TILE)
        out = []
        for ty in range(max(first_y, 0), min(last_y, count - 1) + 1):
            for tx in range(first_x, last_x + 1):
                url = template.replace("{z}", str(self.zoom)).replace("{x}", str(tx % count)) \
                    .replace("{y}", str(ty))
                out.append(Tile(url, round((tx * TILE - self.x0) / self.width * 100, 3),
                                round((ty * TILE - self.y0) / self.height * 100, 3),
                                round(TILE / self.width * 100, 3), round(TILE / self.height * 100, 3)))
        return out


def tile_origin(template: str) -> str:
    """The scheme and host of the tile server, for the page's Content-Security-Policy."""
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


TICKET_STATE = {"on_time": "ok", "warning": "warn"}  # any later stage is overdue: bad


def ticket_colour(deadline: dict[str, object] | None, state: str) -> str:
    """A ticket's colour class: done (grey), on time (green), due soon (amber), overdue (red)."""
    if state in ("closed", "rated") or not deadline:
        return "off"
    return TICKET_STATE.get(str(deadline.get("stage")), "bad")


HEALTH_COLOUR = {"ok": "ok", "attention": "warn", "down": "bad", "offline": "off", "new": "info"}
