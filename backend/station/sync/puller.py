"""Pulling changes by cursor: each page applies in one transaction together with its cursor."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from backend.shared.protocol import ChangesPage

from ..db.session import write_transaction
from . import state
from .applier_core import ApplyContext, Effect
from .appliers import APPLIERS
from .client import PlatformClient

if TYPE_CHECKING:
    from ..runtime import StationRuntime

log = logging.getLogger(__name__)


def pull_changes(runtime: StationRuntime, client: PlatformClient, *, page_size: int = 500,
                 max_pages: int = 50) -> int:
    """Fetch and apply changes until none are left (or max_pages); return how many applied."""
    applied = 0
    for _ in range(max_pages):
        with runtime.db() as session:
            cursor = int(state.get(session, state.CURSOR, 0))
        page = client.changes(cursor, page_size)
        applied += apply_page(runtime, page, after=cursor)
        if not page.more:
            break
    return applied


def apply_page(runtime: StationRuntime, page: ChangesPage, *, after: int) -> int:
    """Apply a page and move the cursor in one transaction; then run the after-commit effects."""
    effects: list[Effect] = []
    now = runtime.clock.now()
    with write_transaction(runtime.db) as session:
        if int(state.get(session, state.CURSOR, 0)) != after:
            return 0  # another pull moved on meanwhile; its page wins
        ctx = ApplyContext(session, runtime, now)
        for change in page.changes:
            applier = APPLIERS.get(change.kind.value)
            if applier is None:
                log.warning("no applier for change kind %s (cursor %d)", change.kind, change.cursor)
                continue
            effect = applier(ctx, change)
            if effect is not None:
                effects.append(effect)
        state.put(session, state.CURSOR, page.next_cursor, now=now)
        state.put(session, state.LAST_SYNC, now.isoformat(), now=now)
    for effect in effects:
        effect()
    return len(page.changes)
