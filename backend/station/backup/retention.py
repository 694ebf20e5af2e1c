"""Which backups to keep: the newest of each of the last ``daily`` local days, the newest of each
of the last ``weekly`` ISO weeks, and the newest ``before_migration`` taken before a migration.
A pure function of names and times, so the policy is tested without a clock or a disk."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BackupEntry:
    name: str
    taken_at: datetime  # local time (the station's timezone setting): days are local days
    kind: str = "daily"  # daily, manual, migration


def backups_to_keep(entries: Iterable[BackupEntry], *, daily: int = 7, weekly: int = 4,
                    before_migration: int = 2) -> set[str]:
    """Return the names to keep; every other backup may be deleted."""
    ordered = sorted(entries, key=lambda e: e.taken_at, reverse=True)
    keep: set[str] = set()
    keep |= _newest_per(ordered, lambda e: e.taken_at.date(), daily, kinds=("daily", "manual"))
    keep |= _newest_per(ordered, lambda e: tuple(e.taken_at.isocalendar())[:2], weekly,
                        kinds=("daily", "manual"))
    keep |= {e.name for e in [e for e in ordered if e.kind == "migration"][:before_migration]}
    return keep


def _newest_per(ordered: list[BackupEntry], period: Callable[[BackupEntry], Hashable], count: int, *,
                kinds: tuple[str, ...]) -> set[str]:
    seen: dict[Hashable, str] = {}
    for entry in ordered:
        key = period(entry)
        if entry.kind in kinds and key not in seen and len(seen) < count:
            seen[key] = entry.name
    return set(seen.values())
