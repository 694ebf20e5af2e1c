"""Property-based requests from both OpenAPI schemas, against real servers on loopback.

Schemathesis reads each application's own ``/openapi.json`` and sends what it derives: boundary
values of every parameter (huge and negative integers, long and odd strings, missing and extra
members) and random bodies, signed in where the API needs it. Any 5xx answer (other than the 503
of a device that is truly unavailable) or a dropped connection fails the test and names the
request that caused it. The seed is fixed, so a failure replays the same way on every machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.fuzz import fuzz, generated
from support.stack import station


@pytest.mark.usefixtures("sims")
def test_the_station_never_answers_a_server_error(data_dir: Path, tmp_path: Path) -> None:
    with station(data_dir, env={"KIOSK_PRINTER_POLL_SECONDS": "0.5"}) as running:
        token = (data_dir / "station-api.token").read_text().strip()
        code, output = fuzz(running.url, f"Authorization: Bearer {token}",
                             report=tmp_path / "station.xml")
    assert code == 0, output[-6000:]
    assert generated(output) > 300
    print(f"station: {generated(output)} generated cases, 0 server errors")
