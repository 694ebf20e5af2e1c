"""Status and faults over real TCP, seen through python-escpos as a driver sees them."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import pytest
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.printer import Network

from devices.sim.printer import SimulatedPrinter
from kioskcli.sim_data import printer_font

Connect = Callable[..., Network]


def ten_lines() -> bytes:
    return b"".join(f"line {i}\n".encode() for i in range(1, 11))


@pytest.mark.parametrize(("fault", "params", "paper", "online"), [
    (None, {}, 2, True),
    ("paper_low", {}, 1, True),
    ("paper_out", {}, 0, False),
    ("cover_open", {}, 2, False),
    ("jam", {}, 2, False),
])
def test_status_queries_over_tcp(sim_printer: SimulatedPrinter, connect: Connect,
                                 fault: str | None, params: dict[str, Any], paper: int,
                                 online: bool) -> None:
    if fault:
        sim_printer.inject_fault(fault, **params)
    client = connect()
    assert client.paper_status() == paper
    assert client.is_online() is online


def test_refill_and_clear_faults_restore_paper(sim_printer: SimulatedPrinter,
                                               connect: Connect) -> None:
    sim_printer.inject_fault("paper_out")
    client = connect()
    assert client.paper_status() == 0
    sim_printer.refill()
    assert client.paper_status() == 2
    sim_printer.inject_fault("paper_low")
    sim_printer.inject_fault("cover_open")
    sim_printer.clear_faults()
    assert (client.paper_status(), client.is_online()) == (2, True)


def test_paper_out_after_n_lines_aborts_mid_job(sim_printer: SimulatedPrinter,
                                                connect: Connect) -> None:
    sim_printer.inject_fault("paper_out", after_lines=3)
    client = connect()
    assert client.paper_status() == 1  # the near-end sensor sees the roll is almost gone
    client._raw(ten_lines())
    assert client.query_status(RT_STATUS_PAPER) == b"\x7e"  # answered at once, mid-job
    assert client.paper_status() == 0
    client.cut()
    client.close()
    job = sim_printer.wait_for_job(0)
    assert (job.status, job.reason, job.lines_printed) == ("aborted", "paper_out", 3)
    assert job.text == "line 1\nline 2\nline 3\n"
    assert sim_printer.describe()["paper"] == "out"


def test_a_job_sent_with_the_cover_open_is_not_printed(sim_printer: SimulatedPrinter,
                                                       connect: Connect) -> None:
    sim_printer.inject_fault("cover_open")
    client = connect()
    client._raw(ten_lines())
    assert client.query_status(b"\x10\x04\x02") == b"\x16"
    client.close()
    job = sim_printer.wait_for_job(0)
    assert (job.status, job.reason, job.lines_printed, job.text) == (
        "aborted", "cover_open", 0, "")


def test_offline_printer_accepts_but_never_answers(sim_printer: SimulatedPrinter,
                                                   connect: Connect) -> None:
    sim_printer.inject_fault("offline")
    client = connect(timeout=0.3)
    with pytest.raises(TimeoutError):
        client.query_status(RT_STATUS_ONLINE)
    client._raw(b"lost\n")
    client.close()
    job = sim_printer.wait_for_job(0)
    assert (job.status, job.reason, job.text, job.replies) == ("aborted", "offline", "", [])


def test_drop_connection_closes_every_connection_at_once(
        sim_printer: SimulatedPrinter, connect: Connect,
        wait_until: Callable[..., None]) -> None:
    printing, polling = connect(), connect()
    printing._raw(b"first half\n")
    assert printing.paper_status() == 2  # round trip: the simulator has read "first half"
    assert polling.paper_status() == 2
    sim_printer.inject_fault("drop_connection")
    for client in (printing, polling):
        # The reset arrives before or after the query is sent; either way it is an error,
        # never silence and never an answer.
        with pytest.raises((ConnectionResetError, BrokenPipeError)):
            client.query_status(RT_STATUS_PAPER)
    job = sim_printer.wait_for_job(0)
    assert (job.status, job.reason, job.text) == ("aborted", "connection_dropped", "first half\n")
    wait_until(lambda: sim_printer.describe()["connections"] == 0)
    assert "drop_connection" not in sim_printer.describe()["faults"]  # it acts once
    assert connect().paper_status() == 2


def test_slow_line_takes_at_least_bytes_over_rate(sim_printer: SimulatedPrinter,
                                                  connect: Connect) -> None:
    rate = 4000.0
    sim_printer.inject_fault("slow", bytes_per_second=rate)
    payload = b"x" * 30 + b"\n"
    data = payload * 30  # 930 bytes: 0.23 s at 4000 B/s
    client = connect()
    started = time.monotonic()
    client._raw(data)
    assert client.query_status(RT_STATUS_PAPER) == b"\x12"  # answered after the data crossed
    elapsed = time.monotonic() - started
    assert elapsed >= (len(data) + 3) / rate
    client.close()
    assert sim_printer.wait_for_job(0).lines_printed == 30


def test_stop_ends_open_connections_and_records_their_jobs(tmp_path: Any) -> None:
    printer = SimulatedPrinter(jobs_dir=tmp_path, font=printer_font())
    printer.start()
    client = Network("127.0.0.1", printer.port, timeout=2)
    client.open()
    client._raw(b"interrupted\n")
    assert client.paper_status() == 2
    printer.stop()
    (job,) = printer.jobs()
    assert (job.status, job.reason, job.text) == ("aborted", "server_stopped", "interrupted\n")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", printer.port), timeout=1)
    client.close()


def test_status_only_connections_are_not_jobs(sim_printer: SimulatedPrinter,
                                              connect: Connect) -> None:
    poller = connect()
    assert poller.paper_status() == 2
    poller.close()
    client = connect()
    client.textln("the only job")
    client.close()
    assert sim_printer.wait_for_job(0).text == "the only job\n"
    assert [job.id for job in sim_printer.jobs()] == [1]


def test_describe_and_url(sim_printer: SimulatedPrinter) -> None:
    sim_printer.inject_fault("paper_low")
    info = sim_printer.describe()
    assert sim_printer.url == f"tcp://127.0.0.1:{sim_printer.port}"
    assert info["name"] == "printer" and info["simulated"] is True
    assert (info["paper"], info["faults"], info["jobs"], info["dot_width"]) == (
        "near_end", {"paper_low": {}}, 0, 384)
