"""The volunteer and emergency rules from ``assets/volunteers/volunteers.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

import assets

LEVELS = ("building_leader", "task_group", "command")  # 楼栋长 → 专项工作组 → 指挥部
LEVEL_WORDS = {
    "building_leader": ("楼栋长", "building leader"),
    "task_group": ("专项工作组", "task group"),
    "command": ("指挥部", "command post"),
}


@dataclass(frozen=True)
class Named:
    code: str
    zh: str
    en: str
    extra: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)


@dataclass(frozen=True)
class VolunteerConfig:
    roles: tuple[Named, ...]
    duties: tuple[Named, ...]
    task_groups: tuple[Named, ...]
    needs: tuple[Named, ...]
    urgencies: tuple[Named, ...]
    auto_close_hour: int
    hotline: str

    @staticmethod
    def _find(items: tuple[Named, ...], code: str) -> Named | None:
        return next((i for i in items if i.code == code), None)

    def role(self, code: str) -> Named | None:
        return self._find(self.roles, code)

    def duty(self, code: str) -> Named | None:
        return self._find(self.duties, code)

    def group(self, code: str) -> Named | None:
        return self._find(self.task_groups, code)

    def need(self, code: str) -> Named | None:
        return self._find(self.needs, code)

    def urgency(self, code: str) -> Named | None:
        return self._find(self.urgencies, code)

    def take_within_minutes(self, urgency: str) -> int:
        found = self.urgency(urgency)
        return int(found.get("take_within_minutes", 60)) if found else 60

    def group_of_need(self, kind: str) -> str:
        found = self.need(kind)
        return str(found.get("group", "supplies")) if found else "supplies"


def _named(raw: dict[str, Any]) -> Named:
    extra = tuple((k, v) for k, v in raw.items() if k not in ("code", "zh", "en"))
    return Named(str(raw["code"]), str(raw["zh"]), str(raw["en"]), extra)


@cache
def load_volunteer_config() -> VolunteerConfig:
    """Read the shipped rules once."""
    raw: dict[str, Any] = yaml.safe_load(
        assets.path("volunteers", "volunteers.yaml").read_text(encoding="utf-8")
    )
    hour = int(raw.get("auto_close_hour", 22))
    if not 0 <= hour <= 23:
        raise ValueError("auto_close_hour must be 0..23")
    return VolunteerConfig(
        roles=tuple(_named(r) for r in raw["roles"]),
        duties=tuple(_named(r) for r in raw["duties"]),
        task_groups=tuple(_named(r) for r in raw["task_groups"]),
        needs=tuple(_named(r) for r in raw["needs"]),
        urgencies=tuple(_named(r) for r in raw["urgencies"]),
        auto_close_hour=hour,
        hotline=str(raw.get("hotline", "12345")),
    )
