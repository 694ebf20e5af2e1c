"""``kiosk release`` and ``kiosk install`` from outside, as a district IT person runs them."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import tarfile
from collections.abc import Sequence
from pathlib import Path

from kioskcli.install_plan import install_plan, run_plan, uninstall_plan
from support.stack import kiosk


def _kiosk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk(*args), capture_output=True, text=True, timeout=120, cwd=cwd)


def test_build_sign_verify_and_a_tampered_bundle(tmp_path: Path) -> None:
    built = _kiosk("release", "build", "--project-only", "--version", "9.1.0", "--min-previous", "0.1.0",
                   "--role", "station", "--out", str(tmp_path), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    bundle = Path(built.stdout.strip())
    assert bundle == tmp_path / "kiosk-9.1.0.tar"
    assert _kiosk("release", "keygen", "--out", "release.pem", cwd=tmp_path).returncode == 0
    assert stat.S_IMODE((tmp_path / "release.pem").stat().st_mode) == 0o600
    trust = str(tmp_path / "release.pem.jwks.json")

    unsigned = _kiosk("release", "verify", str(bundle), "--trust", trust, cwd=tmp_path)
    assert unsigned.returncode == 1 and "release.unsigned" in unsigned.stderr
    assert _kiosk("release", "sign", str(bundle), "--key", "release.pem", cwd=tmp_path).returncode == 0
    ok = _kiosk("release", "verify", str(bundle), "--trust", trust, "--running", "0.1.0", "--json", cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout) | {"bytes": 0} == {"ok": True, "version": "9.1.0", "roles": ["station"],
                                                   "files": 2, "bytes": 0}
    with tarfile.open(bundle) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    wheel = next(n for n in names if n.endswith(".whl"))
    assert "smart_service_station-9.1.0" in wheel
    assert manifest["schemas"]["station"]["to"] and manifest["schemas"]["platform"]["to"]

    platform = _kiosk("release", "verify", str(bundle), "--trust", trust, "--role", "platform", "--json",
                      cwd=tmp_path)
    assert platform.returncode == 1 and json.loads(platform.stdout)["code"] == "release.wrong_role"
    downgrade = _kiosk("release", "verify", str(bundle), "--trust", trust, "--running", "9.2.0", cwd=tmp_path)
    assert downgrade.returncode == 1 and "release.downgrade" in downgrade.stderr

    _replace_member(bundle, wheel, b"a wheel with something else in it")
    tampered = _kiosk("release", "verify", str(bundle), "--trust", trust, cwd=tmp_path)
    assert tampered.returncode == 1 and "release.tampered" in tampered.stderr


def _replace_member(bundle: Path, name: str, data: bytes) -> None:
    with tarfile.open(bundle) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]
    members[name] = data
    with tarfile.open(bundle, "w") as tar:
        for member, content in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def test_install_dry_run_lists_every_step_and_changes_nothing(tmp_path: Path) -> None:
    done = _kiosk("install", "--role", "station", "--dry-run", "--root", str(tmp_path / "root"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for expected in ("useradd --system", "/opt/kiosk/releases/", "/opt/kiosk/current", "/etc/kiosk/station.env",
                     "/var/lib/kiosk/station", "kiosk-station.service", "kiosk-ui.service",
                     "60-kiosk-devices.rules", "systemctl enable --now"):
        assert expected in done.stdout, expected
    assert not (tmp_path / "root").exists()


def test_staged_install_lays_out_release_config_data_and_units(tmp_path: Path) -> None:
    root = tmp_path / "root"
    commands: list[Sequence[str]] = []
    source = Path(__file__).resolve().parents[3]
    plan = install_plan("station", root=root, version="9.1.0", source=source, wheels=None)
    skipped = run_plan(plan, root=root, execute=commands.append)
    # System steps (user, packages, udev, systemd) wait for the machine itself; file steps are done.
    assert any("useradd" in s for s in skipped) and any("systemctl enable" in s for s in skipped)
    assert [tuple(c[1:3]) for c in commands][:1] == [("-m", "venv")]
    assert str(root / "opt/kiosk/releases/9.1.0") in commands[0]
    current = root / "opt/kiosk/current"
    assert current.is_symlink() and str(current.readlink()) == "releases/9.1.0"
    env = root / "etc/kiosk/station.env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o640
    text = env.read_text()
    assert "KIOSK_ENVIRONMENT=production" in text
    pin = next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith("KIOSK_TECHNICIAN_PIN="))
    assert len(pin) >= 8 and pin.isdigit()
    assert stat.S_IMODE((root / "var/lib/kiosk/station").stat().st_mode) == 0o700
    assert (root / "etc/systemd/system/kiosk-station.service").is_file()
    assert (root / "etc/udev/rules.d/60-kiosk-devices.rules").is_file()

    # A second install keeps the configuration (and its secrets) as they are.
    run_plan(install_plan("station", root=root, version="9.2.0", source=source, wheels=None), root=root,
             execute=commands.append)
    assert env.read_text() == text and str(current.readlink()) == "releases/9.2.0"

    # Uninstall removes services and releases but keeps configuration and data; purge deletes them.
    run_plan(uninstall_plan("station", root=root, purge=False), root=root, execute=commands.append)
    assert not (root / "opt/kiosk").exists() and env.exists() and (root / "var/lib/kiosk/station").exists()
    assert not (root / "etc/systemd/system/kiosk-station.service").exists()
    run_plan(uninstall_plan("station", root=root, purge=True), root=root, execute=commands.append)
    assert not env.exists() and not (root / "var/lib/kiosk").exists()


def test_purge_asks_before_deleting(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "var/lib/kiosk/station").mkdir(parents=True)
    done = subprocess.run(kiosk("uninstall", "--role", "station", "--purge", "--root", str(root)),
                          input="no\n", capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1 and "nothing removed" in done.stdout
    assert (root / "var/lib/kiosk/station").exists()
