"""The compounds (小区) of each community and their buildings, from the district file
(``assets/register/qiongshan.yaml``, key ``compounds`` under a community). A resident belongs to
a compound when the register puts them in one of its buildings; the register has no ownership
column, so "owner" means a resident registered in a unit of the compound."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from backend.shared.district import DISTRICT_FILE
from backend.shared.errors import AppError

from .errors import UNKNOWN_COMPOUND

DEFAULT_THRESHOLD = 10


@dataclass(frozen=True)
class Compound:
    code: str
    community_code: str
    zh: str
    en: str
    buildings: tuple[str, ...]
    support_threshold: int = DEFAULT_THRESHOLD

    def has_building(self, building: str) -> bool:
        return building in self.buildings

    def public(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "community_code": self.community_code,
            "name": {"zh": self.zh, "en": self.en},
            "buildings": list(self.buildings),
            "support_threshold": self.support_threshold,
        }


@lru_cache(maxsize=4)
def load_compounds(path: Path = DISTRICT_FILE) -> tuple[Compound, ...]:
    """Every compound of the district file, in file order."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[Compound] = []
    for street in raw.get("streets") or ():
        for community in street.get("communities") or ():
            for c in community.get("compounds") or ():
                found.append(
                    Compound(
                        code=str(c["code"]),
                        community_code=str(community["code"]),
                        zh=str(c["zh"]),
                        en=str(c["en"]),
                        buildings=tuple(str(b) for b in c.get("buildings", ())),
                        support_threshold=int(c.get("support_threshold", DEFAULT_THRESHOLD)),
                    )
                )
    return tuple(found)


def compounds_of(community_code: str) -> list[Compound]:
    return [c for c in load_compounds() if c.community_code == community_code]


def compound(code: str, community_code: str | None = None) -> Compound:
    """The compound with this code (of this community, when given); raise compound.unknown."""
    for c in load_compounds():
        if c.code == code and (community_code is None or c.community_code == community_code):
            return c
    raise AppError(UNKNOWN_COMPOUND, detail=code[:64])


def compound_of_building(community_code: str, building: str) -> Compound | None:
    return next((c for c in compounds_of(community_code) if c.has_building(building)), None)
