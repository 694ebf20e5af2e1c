"""Keep the sync benchmarks runnable: each script's main, tiny, against real processes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_heartbeat_cpu
import bench_scale
import bench_sync_catchup
import bench_sync_fleet
import bench_sync_ingest
from sync_bench_support import percentile


def _rows(output: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in output.splitlines()
            if line.startswith("| ") and not line.startswith("| database") and "---" not in line
            and not line.startswith("| platform database")]


def test_percentile_takes_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.99), percentile(values, 1.0)) == (50.0, 99.0, 100.0)


def test_heartbeat_cpu_reports_cpu_and_statements_per_beat(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_heartbeat_cpu.main(["--backends", "sqlite", "--stations", "3", "--beats", "12"]) == 0
    (row,) = _rows(capsys.readouterr().out)
    assert row[:2] == ["sqlite", "12"] and float(row[2].replace(",", "")) > 0


def test_ingest_reports_events_per_second(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_sync_ingest.main(["--backends", "sqlite", "--batch-sizes", "10", "--events", "40",
                                   "--stations", "2"]) == 0
    (row,) = _rows(capsys.readouterr().out)
    assert row[:3] == ["sqlite", "2", "10"] and float(row[3].replace(",", "")) > 0
    assert float(row[4].split(" / ")[0]) > 0  # the platform's cores while it ingested


@pytest.mark.slow
def test_catchup_drains_a_real_station(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_sync_catchup.main(["--backends", "sqlite", "--events", "300", "--batch-sizes", "100"]) == 0
    (row,) = _rows(capsys.readouterr().out)
    # 300 events may drain before the station's API answers its first health check: the time
    # after "API up" can round to zero, the time including the station's start cannot.
    assert row[:3] == ["sqlite", "100", "300"] and float(row[3]) >= 0 and float(row[4]) > 0


@pytest.mark.slow
def test_fleet_measures_heartbeat_latency(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_sync_fleet.main(["--backends", "sqlite", "--stations", "12", "--period", "1",
                                  "--seconds", "2", "--warmup", "1"]) == 0
    out = capsys.readouterr().out
    (row,) = _rows(out)
    assert row[:3] == ["sqlite", "1", "12"] and int(row[4]) > 12 and row[5] == "0"  # one worker
    # Beside the latencies: how late the generator sent, and who used the cores meanwhile.
    platform_cores, *_ = (float(c) for c in row[10].split(" / "))
    assert float(row[8]) >= 0 and platform_cores > 0
    assert "largest fleet with p99 < 100 ms" in out


def test_scale_prints_the_goals_table_and_keeps_the_figures(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    output = tmp_path / "scale.json"
    assert bench_scale.main(["--parts", "verify", "--rounds", "50", "--keys", "20", "--output", str(output)]) == 0
    header, row = _rows(capsys.readouterr().out.split("## City scale, one run")[1])
    assert header == ["measure", "goal", "measured", "met"]
    assert row[0] == "token verify in-process vs raw Ed25519" and row[3] in ("yes", "no")
    assert json.loads(output.read_text(encoding="utf-8"))[0]["measure"] == row[0]
