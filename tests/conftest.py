"""Fixtures shared by every kind of test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Kivy parses sys.argv unless told not to, and takes over the root logger.
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "MIXED")

# tests/support holds helpers (running the stack, free ports) that tests import as `support`.
sys.path.insert(0, str(Path(__file__).parent))

from support.fixtures import data_dir, running_station, sims  # noqa: F401  (fixtures)
