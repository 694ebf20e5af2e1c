"""Log files: JSON lines, owner-only, rotated by size, and never a full ID or mobile number."""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.shared.logs import json_file_handler

ID_NUMBER = "46010719800101002X"  # invented, valid check digit
MOBILE = "13812345678"


@pytest.fixture
def logger(tmp_path: Path) -> Iterator[tuple[logging.Logger, logging.Handler]]:
    handler = json_file_handler(tmp_path / "logs", "station", max_bytes=64 * 1024, backup_count=2)
    log = logging.getLogger("test.logs")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    yield log, handler
    log.removeHandler(handler)
    handler.close()


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_record_with_an_id_number_is_written_masked(logger: tuple[logging.Logger, logging.Handler],
                                                     tmp_path: Path) -> None:
    log, _ = logger
    log.info("card read: %s, phone %s", ID_NUMBER, MOBILE)  # in the arguments
    log.warning(f"resident {ID_NUMBER} not in the register")  # in the message itself
    try:
        raise ValueError(f"bad number {ID_NUMBER}")
    except ValueError:
        log.exception("lookup failed")  # in a traceback
    path = tmp_path / "logs" / "station.jsonl"
    text = path.read_text(encoding="utf-8")
    assert ID_NUMBER not in text and MOBILE not in text and "100101" not in text
    first, second, third = _lines(path)
    assert first["msg"] == "card read: 460107********002X, phone 138****5678"
    assert (first["level"], first["logger"]) == ("INFO", "test.logs") and str(first["ts"]).endswith("+00:00")
    assert second["msg"] == "resident 460107********002X not in the register"
    assert "460107********002X" in str(third["exc"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_rotates_by_size_and_stays_private(logger: tuple[logging.Logger, logging.Handler],
                                                    tmp_path: Path) -> None:
    log, _ = logger
    for n in range(3000):
        log.info("line %d %s", n, "x" * 40)
    files = sorted((tmp_path / "logs").iterdir())
    assert [f.name for f in files] == ["station.jsonl", "station.jsonl.1", "station.jsonl.2"]
    assert all(f.stat().st_size <= 64 * 1024 + 200 for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert _lines(files[0])[-1]["msg"] == f"line 2999 {'x' * 40}"
