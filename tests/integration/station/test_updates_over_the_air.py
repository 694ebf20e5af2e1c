"""Updates over the air, end to end on real processes on loopback.

Real: the platform (``kiosk platform``, SQLite; one for the module, a station of its own per test),
the station's simulators, release bundles of this tree (1.0.0 built by ``build_release``, the
project's wheel only; the later versions made from that wheel with its version, and for the broken
1.2.0 one source file, changed, so the tree is built once), signed with an Ed25519 key the station
trusts from "install", the upload and rollout through the staff API, the offer in the heartbeat
answer, the signed ranged download (at the default rate limit), verification, the state file, the
boot guard, the ``current`` symlink switch, and restarts by the ``kiosk up`` supervisor standing in
for systemd. Each release runs its own code: its wheel is unpacked into the release folder and run
with ``-P`` and that folder only on the path.
Not real: the releases share this environment's dependencies (the "unpacked" installer) instead of
a virtual environment built from dependency wheels, to keep the test to a minute or two.

The broken release (1.2.0) has a real bug: it sends its heartbeat to a path the platform does not
serve, so its health check cannot reach the platform; it is switched back and reported.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import re
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from backend.shared.localtime import DEFAULT_TIMEZONE
from backend.shared.releases.build import build_release
from backend.shared.releases.bundle import read_bundle, sign_bundle, unpack, verify_bundle, write_bundle
from backend.shared.releases.manifest import sha256_hex
from backend.shared.tokens.jwks import export_jwks
from backend.shared.tokens.keyfiles import generate_signer
from backend.shared.tokens.signing import Signer
from backend.station.sync.enrolment import enroll
from backend.station.updates import journal
from backend.station.updates.updater import install_guard, unpacked_installer
from kioskcli.restart_policy import RestartPolicy
from kioskcli.supervisor import Supervisor
from support.platform_stack import FAST_STATION, Platform, running_platform
from support.stack import REPO, free_port, poll, simulators

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
POLICY = RestartPolicy(first_delay=0.2, max_delay=1.0, healthy_after=60, loop_restarts=20, loop_window=60,
                       ping_every=5, missed_pings=6, start_grace=90, retry_after=None)
# The health check's deadline: long enough for a good release to pass under load (it passes in 1-3 s),
# short because the broken release waits it out.
HEALTH_SECONDS = 8


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Signed bundles of this project: 1.0.0 built from the tree, the others made from its wheel."""
    out = tmp_path_factory.mktemp("bundles")
    signer = generate_signer()
    built = build_release(REPO, out, version="1.0.0", project_only=True, roles=("station",))
    bundles = {"1.0.0": sign_bundle(built, signer)}
    bundles["1.1.0"] = _variant(bundles["1.0.0"], out, "1.1.0", signer)
    # A real bug: the heartbeat goes to a path the platform does not serve.
    bundles["1.2.0"] = _variant(bundles["1.0.0"], out, "1.2.0", signer, {"backend/station/sync/client.py": (
        lambda code: code.replace(b'"/api/sync/heartbeat"', b'"/api/sync/heartbeat-v2"'))})
    # One signed with a key no station trusts, one whose entry point exits at once (a crash loop).
    bundles["1.3.0"] = _variant(bundles["1.1.0"], out, "1.3.0", generate_signer())
    bundles["1.4.0"] = _variant(bundles["1.1.0"], out, "1.4.0", signer,
                                {"kioskcli/__main__.py": lambda _: b"raise SystemExit(3)\n"})
    keys = out / "release-keys.jwks.json"
    keys.write_text(json.dumps(export_jwks([signer.public_key])))
    return {"bundles": bundles, "keys": keys}


def _variant(source: Path, out: Path, version: str, signer: Signer,
             patch: dict[str, Callable[[bytes], bytes]] | None = None) -> Path:
    """``source`` as release ``version`` (its wheel re-versioned, files changed by ``patch``), signed
    by ``signer``."""
    bundle = read_bundle(source)
    files = dict(bundle.files)
    name = next(n for n in files if n.endswith(".whl"))
    wheel_name, wheel = _wheel_as(version, name, files.pop(name), patch or {})
    files[wheel_name] = wheel
    manifest = replace(bundle.manifest, version=version, files={n: sha256_hex(d) for n, d in files.items()},
                       sizes={n: len(d) for n, d in files.items()})
    return sign_bundle(write_bundle(out / f"kiosk-{version}.tar", manifest, files), signer)


def _wheel_as(version: str, name: str, data: bytes,
              patch: dict[str, Callable[[bytes], bytes]]) -> tuple[str, bytes]:
    """The wheel ``name`` as a wheel of ``version``: file name, dist-info folder, METADATA and RECORD
    as ``pip wheel`` would have written them for that version, with ``patch`` applied."""
    project, old_version = Path(name).name.split("-")[:2]
    old_info, new_info = f"{project}-{old_version}.dist-info/", f"{project}-{version}.dist-info/"
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as old:
        for item in old.infolist():
            content = old.read(item)
            if item.filename in patch:
                changed = patch[item.filename](content)
                assert changed != content, f"the patch of {item.filename} changed nothing"
                content = changed
            members[new_info + item.filename.removeprefix(old_info)
                    if item.filename.startswith(old_info) else item.filename] = content
    assert set(patch) <= set(members), "a patched file is not in the wheel"
    metadata = new_info + "METADATA"
    members[metadata] = re.sub(rb"(?m)^Version: .*$", f"Version: {version}".encode(), members[metadata], count=1)
    record = new_info + "RECORD"
    members[record] = "".join(
        f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(c).digest()).rstrip(b'=').decode()},{len(c)}\n"
        for n, c in members.items() if n != record).encode() + f"{record},,\n".encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for member, content in members.items():
            new.writestr(member, content)
    return f"{Path(name).parent}/{project}-{version}-py3-none-any.whl", buffer.getvalue()


def _install(root: Path, bundle: Path, keys: Path) -> None:
    """What ``kiosk install`` does for the first release (with the unpacked installer)."""
    from backend.shared.tokens.jwks import import_jwks

    verified = verify_bundle(bundle, trusted=import_jwks(keys.read_bytes()), role="station", running=None)
    (root / "releases").mkdir(parents=True)
    release = unpack(verified, root / "releases" / verified.manifest.version)
    unpacked_installer(release, verified.manifest)
    journal.switch_current(root, verified.manifest.version)
    install_guard(root)


class Watch:
    """Polls the station's health as the kiosk window does; records the longest outage."""

    def __init__(self, url: str) -> None:
        self.url, self.longest = url, 0.0
        self._down_since: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=1) as client:
            while not self._stop.is_set():
                try:
                    ok = client.get(self.url + "/api/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                now = time.monotonic()
                if ok and self._down_since is not None:
                    self.longest = max(self.longest, now - self._down_since)
                    self._down_since = None
                elif not ok and self._down_since is None:
                    self._down_since = now
                time.sleep(0.1)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """One platform for the module; each test enrols a station of its own."""
    with running_platform(tmp_path_factory.mktemp("platform"), None) as running:
        yield running


_STATIONS = itertools.count(1)


@pytest.fixture
def fleet(tmp_path: Path, releases: dict[str, Any], platform: Platform) -> Iterator[dict[str, Any]]:
    root, data = tmp_path / "opt", tmp_path / "station"
    _install(root, releases["bundles"]["1.0.0"], releases["keys"])
    number = next(_STATIONS)
    station = f"qs-ota-{number:02d}"
    data.mkdir()
    enroll(data_dir=data, url=platform.url, code=platform.create_station(station, f"S9{number}"))
    port = free_port()
    env = {**FAST_STATION, "KIOSK_DATA_DIR": str(data), "KIOSK_UPDATE_ROOT": str(root),
           "KIOSK_RELEASE_KEYS_FILE": str(releases["keys"]), "KIOSK_UPDATE_INSTALLER": "unpacked",
           "KIOSK_UPDATE_HEALTH_SECONDS": str(HEALTH_SECONDS)}
    boot = (f'"{sys.executable}" "{root}/guard/guard.py" --root "{root}"; '
            f'exec "{root}/current/bin/kiosk" station --data-dir "{data}" --port {port}')
    with simulators(data):
        supervisor = Supervisor(POLICY, tmp_path / "logs", tmp_path / "run")
        url = f"http://127.0.0.1:{port}"
        supervisor.start("station", ["sh", "-c", boot], env=env, ready=lambda: _healthy(url))
        done = threading.Event()
        thread = threading.Thread(target=supervisor.run, kwargs={"until": done.is_set}, daemon=True)
        thread.start()
        try:
            yield {"platform": platform, "root": root, "url": url, "station": station,
                   "bundles": releases["bundles"], "logs": tmp_path / "logs"}
        finally:
            done.set()
            thread.join(5)
            supervisor.stop(timeout=20)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url + "/api/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _window() -> dict[str, str]:
    now = datetime.now(ZoneInfo(DEFAULT_TIMEZONE))
    return {"window_start": (now - timedelta(hours=1)).strftime("%H:%M"),
            "window_end": (now + timedelta(hours=1)).strftime("%H:%M")}


def _roll_out(platform: Platform, bundle: Path, station: str) -> int:
    with platform.staff() as staff:
        uploaded = staff.post("/api/staff/releases", content=bundle.read_bytes(),
                              headers={"Content-Type": "application/octet-stream"})
        assert uploaded.status_code == 201, uploaded.text
        started = staff.post("/api/staff/rollouts", json={
            "version": uploaded.json()["version"], "station_ids": [station], "canary_stations": [station],
            **_window()})
        assert started.status_code == 201, started.text
        return int(started.json()["id"])


def _rollout(platform: Platform, rollout_id: int) -> dict[str, Any]:
    with platform.staff() as staff:
        body: dict[str, Any] = staff.get(f"/api/staff/rollouts/{rollout_id}").json()
        return body


def _settled(platform: Platform, rollout_id: int) -> dict[str, Any] | None:
    view = _rollout(platform, rollout_id)
    states = {s["state"] for s in view["station_states"]}
    return view if states <= {"done", "failed"} else None


def test_a_good_update_goes_through_and_a_broken_one_is_rolled_back(fleet: dict[str, Any]) -> None:
    platform, root, station = fleet["platform"], fleet["root"], fleet["station"]
    poll(lambda: platform.station(station).get("version") == "1.0.0", "1.0.0 reported", timeout=30)

    with Watch(fleet["url"]) as watch:
        started = time.monotonic()
        good = _roll_out(platform, fleet["bundles"]["1.1.0"], station)
        view = poll(lambda: _settled(platform, good), "the update to 1.1.0", timeout=240)
        update_seconds = time.monotonic() - started
    assert view["station_states"][0]["state"] == "done", view
    assert view["state"] == "finished" and journal.current_version(root) == "1.1.0"
    poll(lambda: platform.station(station).get("version") == "1.1.0", "1.1.0 reported", timeout=30)
    metrics = httpx.get(platform.url + "/metrics", timeout=10).text
    assert 'kiosk_platform_station_versions{version="1.1.0"} 1.0' in metrics
    good_outage = watch.longest

    with Watch(fleet["url"]) as watch:
        started = time.monotonic()
        bad = _roll_out(platform, fleet["bundles"]["1.2.0"], station)
        view = poll(lambda: _settled(platform, bad), "the rollback from 1.2.0", timeout=300)
        rollback_seconds = time.monotonic() - started
    failure = view["failures"][0]
    assert failure["code"] == "update.health_failed", view
    assert "platform not reached" in failure["reason"]
    assert view["state"] == "paused" and station in view["note"]  # a failed canary stops the rest
    assert journal.current_version(root) == "1.1.0"
    poll(lambda: platform.station(station).get("version") == "1.1.0", "1.1.0 again", timeout=30)
    assert _healthy(fleet["url"])

    sizes = {v: p.stat().st_size for v, p in fleet["bundles"].items()}
    sys.stderr.write(f"\nOTA figures: update {update_seconds:.1f} s (longest outage {good_outage:.1f} s), "
                     f"rollback {rollback_seconds:.1f} s (longest outage {watch.longest:.1f} s, health "
                     f"deadline {HEALTH_SECONDS} s), bundle sizes {sizes}\n")


def test_a_release_signed_by_an_unknown_key_is_refused_and_a_crash_loop_rolled_back(
        fleet: dict[str, Any]) -> None:
    platform, root, station = fleet["platform"], fleet["root"], fleet["station"]
    poll(lambda: platform.station(station).get("version") == "1.0.0", "1.0.0 reported", timeout=30)

    unknown = _roll_out(platform, fleet["bundles"]["1.3.0"], station)
    view = poll(lambda: _settled(platform, unknown), "the refusal of 1.3.0", timeout=120)
    assert view["failures"][0]["code"] == "release.unknown_key", view
    assert journal.current_version(root) == "1.0.0" and not (root / "releases" / "1.3.0").exists()

    with Watch(fleet["url"]) as watch:
        started = time.monotonic()
        looping = _roll_out(platform, fleet["bundles"]["1.4.0"], station)
        view = poll(lambda: _settled(platform, looping), "the rollback from 1.4.0", timeout=240)
        seconds = time.monotonic() - started
    assert view["failures"][0]["code"] == "update.crash_loop", view
    assert "crash loop" in view["failures"][0]["reason"]
    assert journal.current_version(root) == "1.0.0" and _healthy(fleet["url"])
    poll(lambda: platform.station(station).get("version") == "1.0.0", "1.0.0 again", timeout=30)
    sys.stderr.write(f"\nOTA crash loop: rolled back and reported in {seconds:.1f} s "
                     f"(longest outage {watch.longest:.1f} s)\n")
