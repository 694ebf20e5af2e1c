"""Real-time status bytes for every fault, and python-escpos reading them the same way."""

from __future__ import annotations

from typing import Any

import pytest
from escpos.printer import Dummy

from devices.sim.printer.state import PrinterState
from devices.sim.printer.status import reply

# fault, params -> DLE EOT 1, 2, 3, 4, GS r 1, python-escpos paper_status(), is_online()
TABLE: list[tuple[str | None, dict[str, Any], tuple[int, int, int, int, int, int, bool]]] = [
    (None, {}, (0x12, 0x12, 0x12, 0x12, 0x00, 2, True)),
    ("paper_low", {}, (0x12, 0x12, 0x12, 0x1E, 0x03, 1, True)),
    ("paper_out", {}, (0x1A, 0x32, 0x12, 0x7E, 0x0F, 0, False)),
    ("paper_out", {"after_lines": 5}, (0x12, 0x12, 0x12, 0x1E, 0x03, 1, True)),
    ("cover_open", {}, (0x1A, 0x16, 0x12, 0x12, 0x00, 2, False)),
    ("jam", {}, (0x1A, 0x52, 0x1A, 0x12, 0x00, 2, False)),
    ("slow", {"bytes_per_second": 960}, (0x12, 0x12, 0x12, 0x12, 0x00, 2, True)),
    ("offline", {}, (0x12, 0x12, 0x12, 0x12, 0x00, 2, True)),  # silence is the session's job
]
IDS = [f"{fault}{params or ''}" for fault, params, _ in TABLE]


class ReplyingPrinter(Dummy):
    """A python-escpos printer whose reads return what the simulator would answer."""

    def __init__(self, answer: bytes) -> None:
        super().__init__()
        self.answer = answer

    def _read(self) -> bytes:
        return self.answer


def state_with(fault: str | None, params: dict[str, Any]) -> PrinterState:
    state = PrinterState()
    if fault:
        state.inject(fault, **params)
    return state


@pytest.mark.parametrize(("fault", "params", "expected"), TABLE, ids=IDS)
def test_status_bytes(fault: str | None, params: dict[str, Any],
                      expected: tuple[int, ...]) -> None:
    condition = state_with(fault, params).condition()
    answers = [reply("DLE EOT", bytes([n]), condition) for n in (1, 2, 3, 4)]
    answers.append(reply("GS r", b"\x01", condition))
    assert [a[0] for a in answers if a] == list(expected[:5])


@pytest.mark.parametrize(("fault", "params", "expected"), TABLE, ids=IDS)
def test_python_escpos_decodes_the_status_as_meant(fault: str | None, params: dict[str, Any],
                                                   expected: tuple[int, ...]) -> None:
    condition = state_with(fault, params).condition()
    paper = ReplyingPrinter(reply("DLE EOT", b"\x04", condition) or b"")
    online = ReplyingPrinter(reply("DLE EOT", b"\x01", condition) or b"")
    assert (paper.paper_status(), online.is_online()) == expected[5:]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_every_dle_eot_reply_has_the_fixed_bits(n: int) -> None:
    for fault, params, _ in TABLE:
        answer = reply("DLE EOT", bytes([n]), state_with(fault, params).condition())
        assert answer is not None and answer[0] & 0x93 == 0x12


@pytest.mark.parametrize(("name", "args", "answer"), [
    ("GS r", b"\x02", b"\x00"),
    ("GS r", b"\x32", b"\x00"),
    ("GS I", b"\x01", b"\x20"),
    ("GS I", b"\x02", b"\x03"),
    ("GS I", b"\x43", b"_SIM-58\x00"),
    ("DLE EOT", b"\x05", None),
    ("DLE ENQ", b"\x01", None),
    ("DLE DC4", b"\x01\x00\x05", None),
])
def test_other_queries(name: str, args: bytes, answer: bytes | None) -> None:
    assert reply(name, args, PrinterState().condition()) == answer


def test_gs_r_accepts_the_ascii_form_of_n() -> None:
    condition = state_with("paper_low", {}).condition()
    assert reply("GS r", b"\x31", condition) == reply("GS r", b"\x01", condition) == b"\x03"
