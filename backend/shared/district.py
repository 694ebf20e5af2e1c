"""The seed district's organisation tree (``assets/register/qiongshan.yaml``), read and checked.

One place that knows the district: province → city → district → streets → communities → grids,
each with its 12-digit statistical division code and whether that code is a demo one. Tests and
seeds take codes and names from here instead of writing them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TWELVE_DIGITS = re.compile(r"\d{12}")
DISTRICT_FILE = Path(__file__).resolve().parents[2] / "assets" / "register" / "qiongshan.yaml"


@dataclass(frozen=True)
class Unit:
    code: str
    zh: str
    en: str
    demo_code: bool = False
    children: tuple[Unit, ...] = field(default=(), repr=False)
    buildings: tuple[str, ...] = ()
    station: bool = False


@dataclass(frozen=True)
class District:
    province: Unit
    city: Unit
    district: Unit
    streets: tuple[Unit, ...]

    @property
    def communities(self) -> list[Unit]:
        return [c for s in self.streets for c in s.children]

    @property
    def station_community(self) -> Unit:
        """The community the demo station serves."""
        return next(c for c in self.communities if c.station)

    def street_of(self, community_code: str) -> Unit:
        return next(s for s in self.streets if any(c.code == community_code for c in s.children))


def load_district(path: Path = DISTRICT_FILE) -> District:
    """Read the district file; raise ``ValueError`` naming the first unit that breaks a rule."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        province, city, district = (_unit(raw[k], ()) for k in ("province", "city", "district"))
        streets = tuple(_street(s) for s in raw["streets"])
    except (KeyError, TypeError) as err:
        raise ValueError(f"{path.name}: missing or malformed field {err}") from err
    found = District(province, city, district, streets)
    _check(found)
    return found


def _street(raw: dict[str, Any]) -> Unit:
    return _unit(raw, tuple(_community(c) for c in raw.get("communities") or ()))


def _community(raw: dict[str, Any]) -> Unit:
    grids = tuple(_unit(g, (), buildings=tuple(str(b) for b in g.get("buildings", ())))
                  for g in raw.get("grids") or ())
    return _unit(raw, grids, station=bool(raw.get("station", False)))


def _unit(raw: dict[str, Any], children: tuple[Unit, ...], **extra: Any) -> Unit:
    return Unit(str(raw["code"]), str(raw["zh"]), str(raw["en"]), bool(raw.get("demo_code", False)),
                children, **extra)


def _check(d: District) -> None:
    """Codes nest (each starts with its parent's prefix), follow the table's ranges, never repeat."""
    _expect(d.province.code[:2] + "0" * 10 == d.province.code, d.province)
    _expect(d.city.code.startswith(d.province.code[:2]) and d.city.code.endswith("0" * 8), d.city)
    _expect(d.district.code.startswith(d.city.code[:4]) and d.district.code.endswith("0" * 6), d.district)
    seen: set[str] = set()
    for street in d.streets:
        number = int(street.code[6:9])
        _expect(street.code.startswith(d.district.code[:6]) and street.code.endswith("000")
                and (1 <= number <= 99 if street.zh.endswith("街道") else 100 <= number <= 199), street)
        for community in street.children:
            _expect(community.code.startswith(street.code[:9]) and community.code[9:] != "000", community)
            for grid in community.children:
                _expect(grid.code.startswith(community.code + "-"), grid)
        for unit in (street, *street.children):
            _expect(bool(TWELVE_DIGITS.fullmatch(unit.code)) and unit.code not in seen, unit)
            seen.add(unit.code)
    if sum(c.station for c in d.communities) != 1:
        raise ValueError("exactly one community must carry station: true")


def _expect(ok: bool, unit: Unit) -> None:
    if not ok:
        raise ValueError(f"division code {unit.code} ({unit.zh}) breaks the code rules")
