"""The simulated reader module's behaviour: it answers request frames from its card and faults.

Pure state, no I/O, so it is tested without a port. Fault parameters (all optional):
  every fault              count=N   affect the next N replies, then clear itself
  card_removed             at="read" (default) or "select": where the card goes missing
  garbage                  length=64 random bytes; prefix=True sends them before a good frame
  expired_card             days_ago=30: how long ago the validity ended
The card_removed fault does not take the card out of the simulator: the card is lost again at
every read while the fault lasts, like a resident who keeps lifting it.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from devices.idcard.card import IdCard
from devices.idcard.idnumber import IdNumber, check_digit
from devices.idcard.protocol import (
    FIND_CARD,
    PHOTO_SIZE,
    READ_BASIC,
    SELECT_CARD,
    BasicInfo,
    FrameError,
    Reply,
    Request,
    Sw3,
)

from ..base import FaultSet

Clock = Callable[[], date]
CHECK_CHARS = "0123456789X"
NOISE = bytes(b for b in range(256) if b != 0xAA)  # noise never forms a preamble


class ReaderModel:
    """A GA 467 reader module: find, select and read basic information, with scriptable faults."""

    def __init__(self, clock: Clock = date.today, rng: random.Random | None = None) -> None:
        self.faults = FaultSet("idcard")
        self.counters: Counter[str] = Counter()
        self._clock = clock
        self._rng = rng or random.Random()
        self._card: IdCard | None = None
        self._selected = False
        self._lock = threading.RLock()

    # ---- the card on the reader -------------------------------------------------------------

    def insert_card(self, card: IdCard) -> None:
        """Lay a card on the reader (replacing any card there)."""
        with self._lock:
            self._card, self._selected = card, False

    def remove_card(self) -> None:
        """Take the card away."""
        with self._lock:
            self._card, self._selected = None, False

    @property
    def card(self) -> IdCard | None:
        return self._card

    @property
    def card_present(self) -> bool:
        return self._card is not None

    # ---- answering --------------------------------------------------------------------------

    def respond(self, payload: bytes | None) -> bytes | None:
        """Return the bytes to send for one request payload (None: a bad request checksum).

        Returns None when the reader says nothing (the silence fault).
        """
        with self._lock:
            self.counters["requests"] += 1
            if self._fire("silence"):
                return None
            reply = self._answer(payload).encode()
            self.counters["replies"] += 1
            return self._disturb(reply)

    def _answer(self, payload: bytes | None) -> Reply:
        if payload is None:
            return Reply(Sw3.REQUEST_CHECKSUM)
        try:
            request = Request.decode(payload)
        except FrameError:
            return Reply(Sw3.REQUEST_LENGTH)
        handlers = {FIND_CARD: self._find, SELECT_CARD: self._select, READ_BASIC: self._read}
        handler = handlers.get(request.key)
        return handler() if handler else Reply(Sw3.BAD_COMMAND)

    def _find(self) -> Reply:
        self._selected = False
        return Reply(Sw3.CARD_FOUND if self._card else Sw3.NO_CARD)

    def _select(self) -> Reply:
        if self._card is None or self._removed_at("select"):
            return Reply(Sw3.SELECT_FAILED)
        self._selected = True
        return Reply(Sw3.OK)

    def _read(self) -> Reply:
        if self._card is None or not self._selected or self._removed_at("read"):
            return Reply(Sw3.READ_FAILED)
        self.counters["reads"] += 1
        card = self._faulty(self._card)
        photo = card.photo or bytes(PHOTO_SIZE)
        return Reply(Sw3.OK, BasicInfo(card.to_text_block().encode(), photo).encode())

    def _removed_at(self, step: str) -> bool:
        if self.faults.params("card_removed").get("at", "read") != step:
            return False
        return self._fire("card_removed")

    def _faulty(self, card: IdCard) -> IdCard:
        """Return the card as the faults make it look."""
        if self._fire("expired_card"):
            days = int(self.faults.params("expired_card").get("days_ago", 30))
            until = _today(self._clock) - timedelta(days=max(1, days))
            card = replace(card, valid_from=_years_before(until, 20), valid_until=until)
        if self._fire("invalid_number"):
            card = replace(card, id_number=wrong_check_digit(card.id_number))
        return card

    def _disturb(self, reply: bytes) -> bytes:
        if self._fire("checksum_error"):
            return reply[:-1] + bytes([reply[-1] ^ 0xFF])
        if self._fire("garbage"):
            params = self.faults.params("garbage")
            noise = bytes(self._rng.choice(NOISE) for _ in range(int(params.get("length", 64))))
            return noise + reply if params.get("prefix") else noise
        return reply

    def _fire(self, name: str) -> bool:
        """Tell whether a fault acts now, counting down a fault limited by ``count``."""
        if name not in self.faults:
            return False
        params = self.faults.params(name)
        if "count" in params:
            left = int(params["count"]) - 1
            if left <= 0:
                self.faults.remove(name)
            else:
                self.faults.add(name, **{**params, "count": left})
        self.counters[f"fault:{name}"] += 1
        return True

    def describe(self) -> dict[str, Any]:
        """Return the card (masked), the active faults and the counters."""
        with self._lock:
            return {
                "card_present": self.card_present,
                "card": self._card.masked() if self._card else None,
                "faults": self.faults.as_dict(),
                "counters": dict(self.counters),
            }


def wrong_check_digit(number: IdNumber) -> IdNumber:
    """Return the number with a check character that is not the right one."""
    text = number.reveal()
    right = CHECK_CHARS.index(check_digit(text[:17]))
    return IdNumber(text[:17] + CHECK_CHARS[(right + 1) % len(CHECK_CHARS)])


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _today(clock: Clock) -> date:
    value = clock()
    return value.date() if isinstance(value, datetime) else value
