"""Longest first: the order in which pytest-xdist hands out groups of tests.

Two workers finish together only if the long groups start early. pytest-xdist orders groups by
their number of tests, so a module of two ten-minute end-to-end tests started last and ran alone
at the end. Here each group's measured seconds (``tests/group_seconds.json``, written from a run's
JUnit XML by ``python -m support.schedule RESULTS.xml``) put the longest first; a group not
measured yet counts a second a test.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

SECONDS_FILE = Path(__file__).parent.parent / "group_seconds.json"
UNMEASURED_SECONDS_PER_TEST = 1.0

Item = TypeVar("Item")


def measured(path: Path = SECONDS_FILE) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def longest_first(items: Sequence[Item], group_of: Callable[[Item], str],
                  seconds: dict[str, float]) -> list[Item]:
    """The items with their groups in descending expected time; within a group, as collected."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[group_of(item)] += 1

    def expected(group: str) -> float:
        return seconds.get(group, counts[group] * UNMEASURED_SECONDS_PER_TEST)

    first_seen = {group: n for n, group in reversed(list(enumerate(group_of(i) for i in items)))}
    return sorted(items, key=lambda i: (-expected(group_of(i)), first_seen[group_of(i)]))


def group_seconds(junit_xml: Path, group_of_file: Callable[[str], str]) -> dict[str, float]:
    """Seconds per group from a JUnit XML report (set-up and tear-down count in each test's time)."""
    totals: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit_xml).iter("testcase"):
        totals[group_of_file(_file_of(case.get("classname", "")))] += float(case.get("time", 0))
    return {group: round(total, 1) for group, total in sorted(totals.items(), key=lambda kv: -kv[1])}


def _file_of(classname: str) -> str:
    """``tests.ui.test_walk.TestWalk`` → ``ui/test_walk.py``."""
    parts = classname.split(".")
    parts = parts[1:] if parts[:1] == ["tests"] else parts
    while parts and not parts[-1].startswith("test_"):
        parts.pop()
    return "/".join(parts) + ".py"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent.parent))
    from conftest import group_of_file

    result = group_seconds(Path(sys.argv[1]), group_of_file)
    SECONDS_FILE.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(result)} groups, {sum(result.values()):.0f} s in all → {SECONDS_FILE}")
