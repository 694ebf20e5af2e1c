"""Fixtures shared by every kind of test."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

# Kivy parses sys.argv unless told not to, and takes over the root logger.
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "MIXED")

# Each pytest-xdist worker gets its own folders for what libraries write at import: on a fresh
# machine two workers importing at once collide otherwise.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# Kivy creates its home folder (~/.kivy) at import ("File exists" when two do it at once).
_KIVY_HOME = Path(tempfile.gettempdir()) / f"kiosk-tests-kivy-{_WORKER}"
_KIVY_HOME.mkdir(exist_ok=True)
os.environ["KIVY_HOME"] = str(_KIVY_HOME)
# python-escpos writes a capabilities pickle into a new /tmp folder at every import otherwise (and a
# shared one would be read half-written by the other worker: "Ran out of input").
_ESCPOS_CACHE = Path(tempfile.gettempdir()) / f"kiosk-tests-escpos-cache-{_WORKER}"
_ESCPOS_CACHE.mkdir(exist_ok=True)
os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_ESCPOS_CACHE)

# Password hashes at scrypt's N=2**14, not production's 2**17 (128 MiB and a fraction of a second
# each): every platform a test builds or starts inherits this.
os.environ.setdefault("KIOSK_PLATFORM_PASSWORD_SCRYPT_LOG_N", "14")

# tests/support holds helpers (running the stack, free ports) that tests import as `support`.
sys.path.insert(0, str(Path(__file__).parent))

from support.fixtures import data_dir, running_station, sims  # noqa: E402,F401  (fixtures)
from support.schedule import longest_first, measured  # noqa: E402

TESTS = Path(__file__).parent
SHARED_STACKS = ("ui", "browser")  # one kiosk app / one Chromium shared by the whole folder
# UI modules that run a stack of their own (their own `kiosk up` on the worker's own Xvfb), not the
# shared kiosk app: they may run on the other worker, which keeps the UI folder off the critical path.
OWN_STACKS = ("ui/test_self_healing.py", "ui/test_station_away.py")


def group_of_file(module: str) -> str:
    """The xdist group of a test file (``ui/test_walk.py``): its folder for the UI and browser
    folders (one shared app, one shared Chromium), else the file itself."""
    folder = module.split("/")[0]
    return folder if folder in SHARED_STACKS and module not in OWN_STACKS else module


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Hand the groups of tests (``group_of_file``) out longest first (support/schedule.py)."""
    items[:] = longest_first(items, _group, measured())


def _group(item: pytest.Item) -> str:
    return group_of_file("/".join(item.path.relative_to(TESTS).parts))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist (``-n 3 --dist loadscope --no-loadscope-reorder``) a group of tests goes
    to one worker whole: each module with its module-scoped servers, the UI and browser folders
    with their one shared app and browser. (xdist's own ``loadgroup`` marks do nothing under
    pytest 9: it renames the node id through an attribute pytest 9 no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of_file(nodeid.split("::")[0].removeprefix("tests/"))

    return GroupScheduling(config, log)


@pytest.fixture
def sim_printer_font() -> object:
    """The simulated printer draws its images with the product's CJK font, as ``kiosk sim`` does."""
    from kioskcli.sim_data import printer_font

    return printer_font()
