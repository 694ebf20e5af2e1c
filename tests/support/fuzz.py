"""Schemathesis over a running application's own OpenAPI schema (see the fuzz tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SEED = "20261204"
EXAMPLES = os.environ.get("KIOSK_FUZZ_EXAMPLES", "8")  # more for a deeper run; 8 keeps the suite in budget
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
# Never fuzzed: the event stream does not end, and signing out would end the run's own session.
SKIPPED = r"^/api/staff/stream$|^/api/auth/logout$|^/console|^/ws/"


def fuzz(url: str, *headers: str, report: Path) -> tuple[int, str]:
    command = [SCHEMATHESIS, "run", f"{url}/openapi.json", "--checks", "no_server_error",
               "--max-examples", EXAMPLES, "--seed", SEED, "--workers", "1",
               "--phases", "examples,coverage,fuzzing", "--request-timeout", "20",
               "--exclude-path-regex", SKIPPED, "--report", "junit",
               "--report-junit-path", str(report), "--no-color"]
    for header in headers:
        command += ["--header", header]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "support.fuzz_checks",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent.parent),
                                                        os.environ.get("PYTHONPATH", "")]))}
    done = subprocess.run(command, capture_output=True, text=True, timeout=400, env=env,
                          cwd=report.parent)  # its cache lands there, not in the checkout
    return done.returncode, done.stdout + done.stderr


def generated(output: str) -> int:
    found = re.search(r"(\d+) generated", output)
    assert found, output[-3000:]
    return int(found.group(1))
