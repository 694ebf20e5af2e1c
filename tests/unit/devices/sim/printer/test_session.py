"""A connection's session: prints or discards, answers status at once, says how the job ended."""

from __future__ import annotations

from typing import Any

import pytest

from devices.sim.faults import UnknownFaultError
from devices.sim.printer.modes import Modes
from devices.sim.printer.session import Session
from devices.sim.printer.state import PrinterState

PAPER = b"\x10\x04\x04"


def session(fault: str | None = None, **params: Any) -> Session:
    state = PrinterState()
    if fault:
        state.inject(fault, **params)
    return Session(state, Modes(), 384)


def lines(n: int) -> bytes:
    return b"".join(f"line {i}\n".encode() for i in range(1, n + 1))


def test_status_only_connection_is_not_a_job() -> None:
    s = session()
    assert s.feed(b"\x1b@" + PAPER + b"\x10\x04\x01") == b"\x12\x12"
    assert s.finish() is None


def test_status_is_answered_in_the_middle_of_a_job() -> None:
    s = session("paper_low")
    assert s.feed(b"half a receipt\n" + PAPER) == b"\x1e"
    assert s.feed(b"the rest\n") == b""
    result = s.finish()
    assert result is not None and result.reason is None
    assert [line.text for line in result.page.blocks] == ["half a receipt", "the rest"]  # type: ignore[union-attr]
    assert [r.as_dict() for r in result.replies] == [
        {"offset": 15, "command": "DLE EOT", "reply": "1e"}]


def test_paper_running_out_mid_job_stops_printing_and_keeps_answering() -> None:
    s = session("paper_out", after_lines=3)
    assert s.feed(PAPER) == b"\x1e"  # near end: the roll is almost gone
    assert s.feed(lines(10) + PAPER + b"\x1dV\x00") == b"\x7e"
    result = s.finish()
    assert result is not None
    assert (result.reason, result.page.lines) == ("paper_out", 3)
    assert [b.text for b in result.page.blocks] == ["line 1", "line 2", "line 3"]  # type: ignore[union-attr]
    assert s.state.condition().paper == "out"


@pytest.mark.parametrize(("fault", "offline_cause"), [
    ("paper_out", b"\x32"), ("cover_open", b"\x16"), ("jam", b"\x52"),
])
def test_a_stopped_printer_prints_nothing_but_answers(fault: str, offline_cause: bytes) -> None:
    s = session(fault)
    assert s.feed(lines(2) + b"\x10\x04\x02") == offline_cause
    result = s.finish()
    assert result is not None
    assert (result.reason, result.page.blocks) == (fault, [])


def test_offline_printer_never_answers_and_discards_the_job() -> None:
    s = session("offline")
    assert s.feed(PAPER + lines(2) + PAPER + b"\x1dr\x01") == b""
    result = s.finish()
    assert result is not None
    assert (result.reason, result.page.blocks, result.replies) == ("offline", [], [])


def test_connection_closed_inside_a_command_aborts_the_job() -> None:
    s = session()
    s.feed(b"ok\n\x1dv0\x00\x10\x00\x10\x00\xff\xff")
    result = s.finish()
    assert result is not None and result.reason is not None
    assert result.reason.startswith("connection closed inside a command at offset 3")
    assert [b.text for b in result.page.blocks] == ["ok"]  # type: ignore[union-attr]


def test_end_reason_from_the_transport_marks_the_job_aborted() -> None:
    s = session()
    s.feed(b"partial\n")
    result = s.finish("connection_dropped")
    assert result is not None and result.reason == "connection_dropped"


def test_warnings_for_unprinted_text_and_missing_chinese_mode() -> None:
    s = session()
    s.feed("证明\n".encode("gb18030") + b"no newline")
    result = s.finish()
    assert result is not None
    assert result.warnings == [
        "10 bytes left in the line buffer without LF: not printed",
        "4 bytes >= 0x80 printed as code-page characters while Chinese mode was off "
        "(send FS & before GB18030 text)"]


@pytest.mark.parametrize(("enabled", "answer"), [(False, b""), (True, b"\x12")])
def test_realtime_sequence_hidden_in_image_data(enabled: bool, answer: bytes) -> None:
    s = Session(PrinterState(), Modes(), 384, realtime_in_data=enabled)
    assert s.feed(b"\x1dv0\x00\x03\x00\x01\x00\x10\x04\x01") == answer


# -- the state behind the session -------------------------------------------------------------------

def test_paper_counts_down_and_refill_restores_it() -> None:
    state = PrinterState()
    state.inject("paper_out", after_lines=2)
    assert [state.take_lines(1), state.take_lines(1), state.take_lines(1)] == [
        None, None, "paper_out"]
    state.refill()
    assert state.take_lines(5) is None
    assert state.describe()["paper"] == "ok"


def test_a_block_bigger_than_the_paper_left_is_not_printed() -> None:
    state = PrinterState()
    state.inject("paper_out", after_lines=2)
    assert state.take_lines(3) == "paper_out"
    assert state.describe()["paper"] == "out"


def test_clear_faults_restores_everything() -> None:
    state = PrinterState()
    for fault in ("paper_out", "cover_open", "jam", "offline"):
        state.inject(fault)
    state.clear()
    assert (state.blocker(), state.offline, state.describe()["faults"]) == (None, False, {})


@pytest.mark.parametrize(("fault", "params", "error"), [
    ("on_fire", {}, UnknownFaultError),
    ("paper_low", {"after_lines": 3}, ValueError),
    ("slow", {}, ValueError),
    ("slow", {"bytes_per_second": 0}, ValueError),
    ("paper_out", {"after_lines": -1}, ValueError),
])
def test_bad_faults_are_refused(fault: str, params: dict[str, Any],
                                error: type[Exception]) -> None:
    with pytest.raises(error):
        PrinterState().inject(fault, **params)
