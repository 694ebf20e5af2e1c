"""The org tree for tickets: names, paths, ancestors, the grid of a building."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.tickets.config import Words

from ...db.area_models import OrgUnit


class TicketTree:
    """Reads org units through a session, remembering what it has read."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._units: dict[str, OrgUnit | None] = {}

    def unit(self, code: str | None) -> OrgUnit | None:
        if not code:
            return None
        if code not in self._units:
            self._units[code] = self._session.get(OrgUnit, code)
        return self._units[code]

    def path(self, code: str | None) -> str:
        found = self.unit(code)
        return found.path if found else "\0"  # matches no prefix

    def ancestor(self, code: str, level: str) -> str | None:
        """The unit at ``level`` at or above ``code``."""
        current = self.unit(code)
        while current is not None and current.level != level:
            current = self.unit(current.parent_code)
        return current.code if current else None

    def parent(self, code: str | None) -> str | None:
        found = self.unit(code)
        return found.parent_code if found else None

    def grid_of_building(self, community: str, building: str) -> str | None:
        grids = self._session.scalars(select(OrgUnit).where(OrgUnit.parent_code == community,
                                                            OrgUnit.level == "grid"))
        for grid in grids:
            if building in [str(b) for b in (grid.details or {}).get("buildings", [])]:
                return grid.code
        return None

    def name(self, code: str | None) -> Words:
        found = self.unit(code)
        if found is None:
            return Words(zh="承办单位", en="the handling unit")
        return Words(zh=found.name_zh, en=found.name_en)

    def is_within(self, code: str | None, top_path: str) -> bool:
        """Whether a unit is ``top_path``'s unit or below it."""
        return bool(top_path) and self.path(code).startswith(top_path)

    def codes_under(self, top_path: str) -> list[str]:
        return list(self._session.scalars(select(OrgUnit.code).where(OrgUnit.path.startswith(top_path))))
