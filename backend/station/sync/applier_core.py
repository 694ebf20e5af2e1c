"""Applying the platform's changes at the station: the registry's core, with no domain in it.

An applier changes the database inside the page's transaction (the cursor moves in the same
transaction, so each change applies once) and may return an effect to run after the commit —
for what lives outside the database, like the trust-list file or the catalog in memory. Each
domain module offers its ``APPLIERS`` table by change kind; ``sync.appliers`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from backend.shared.protocol import Change, ChangeKind

if TYPE_CHECKING:
    from ..runtime import StationRuntime

Effect = Callable[[], None]


@dataclass
class ApplyContext:
    session: Session
    runtime: StationRuntime
    now: datetime


ChangeApplier = Callable[[ApplyContext, Change], Effect | None]
Table = Mapping[ChangeKind, ChangeApplier]


class Registry:
    """The domains' tables together; a change kind belongs to one domain only."""

    def __init__(self, *tables: Table) -> None:
        self.table: dict[str, ChangeApplier] = {}
        for table in tables:
            twice = self.table.keys() & {kind.value for kind in table}
            if twice:
                raise ValueError(f"change kinds with two appliers: {sorted(twice)}")
            self.table.update((kind.value, applier) for kind, applier in table.items())

    def get(self, kind: str) -> ChangeApplier | None:
        return self.table.get(kind)
