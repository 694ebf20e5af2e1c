"""Fixtures shared by every kind of test."""

from __future__ import annotations

import os

# Kivy parses sys.argv unless told not to, and takes over the root logger.
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "MIXED")
