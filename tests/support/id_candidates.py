"""How many ID numbers fit what a stored row reveals: the attacker's count, done independently of
the product's code (GB 11643 check digits computed here, not imported).

The attacker is assumed to know the district (the row's community code gives it), so the six
region digits are fixed. Unknown are the birth date (any real date from 1900-01-01 to ``today``)
and the three sequence digits; the sex fixes the parity of the last of them, and the mask's shown
characters fix whatever they show.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date, timedelta

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def candidates(*, region: str, mask: str, male: bool, today: date, born: date | None = None) -> int:
    """The count of valid 18-character numbers with ``region`` that ``mask`` (``*`` hides a
    character) and the sex allow; ``born`` narrows the birth date when the row revealed it."""
    assert len(mask) == 18 and len(region) == 6
    shown = {i: ch for i, ch in enumerate(mask) if ch != "*"}
    if any(region[i] != ch for i, ch in shown.items() if i < 6):
        return 0
    # The sequence digits' share of the weighted sum, by residue mod 11, for every allowed choice.
    share: Counter[int] = Counter()
    for sequence in range(1000):
        digits = f"{sequence:03d}"
        if int(digits[2]) % 2 != (1 if male else 0):
            continue
        if any(shown.get(14 + k, ch) != ch for k, ch in enumerate(digits)):
            continue
        share[sum(int(d) * w for d, w in zip(digits, WEIGHTS[14:], strict=True)) % 11] += 1
    total = 0
    for head, base in _heads(region, born or date(1900, 1, 1), born or today):
        if all(shown.get(6 + k, ch) == ch for k, ch in enumerate(head[6:])):
            for residue, count in share.items():
                check = CHECK[(base + residue) % 11]
                if shown.get(17, check) == check:
                    total += count
    return total


@functools.lru_cache(maxsize=8)
def _heads(region: str, first: date, last: date) -> tuple[tuple[str, int], ...]:
    """Every region + birth date from ``first`` to ``last`` with its share of the weighted sum."""
    found = []
    day = first
    while day <= last:
        head = region + day.strftime("%Y%m%d")
        found.append((head, sum(int(d) * w for d, w in zip(head, WEIGHTS[:14], strict=True))))
        day += timedelta(days=1)
    return tuple(found)
