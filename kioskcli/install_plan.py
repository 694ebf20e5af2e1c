"""What installing a station or a platform on Debian 12 does, as a list of steps.

The plan is data: ``--dry-run`` prints it, a real run carries it out. File steps write under a
root folder (``/`` on a machine, a staging folder when building an image); system steps (user,
packages, systemd, udev) only run on the machine itself (root ``/``) and are listed otherwise.
Every write is atomic (temporary file, then rename), so a power cut mid-install leaves a file
either old or new; the release folder is complete before ``current`` is switched to it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from backend.shared.private_files import write_private_file
from backend.station.updates.updater import install_guard

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
USER = "kiosk"
OPT, ETC, VAR = Path("/opt/kiosk"), Path("/etc/kiosk"), Path("/var/lib/kiosk")
UNITS = {"station": ("kiosk-station.service", "kiosk-ui.service"), "platform": ("kiosk-platform.service",)}
GROUPS = {"station": ("dialout", "lp", "video", "input", "render"), "platform": ()}
PACKAGES = {
    "station": ("python3", "python3-venv", "libgl1", "libegl1", "libmtdev1", "libzbar0", "libusb-1.0-0",
                "fonts-wqy-microhei", "cage", "xwayland", "espeak-ng"),
    "platform": ("python3", "python3-venv", "postgresql-client"),
}
UDEV_RULES = "60-kiosk-devices.rules"
RELEASE_KEYS = "release-keys.jwks.json"


@dataclass
class Step:
    """One thing the installer does: words for a person, and either a command or an action."""

    what: str
    command: Sequence[str] = ()
    action: Callable[[], None] | None = None
    system: bool = False  # needs the real machine (root /): skipped when staging into a folder

    def describe(self) -> str:
        return f"{self.what}" + (f"\n      $ {' '.join(self.command)}" if self.command else "")


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)

    def add(self, what: str, *, command: Sequence[str] = (), action: Callable[[], None] | None = None,
            system: bool = False) -> None:
        self.steps.append(Step(what, tuple(command), action, system))


def install_plan(role: str, *, root: Path, version: str, source: Path, wheels: Path | None,
                 start: bool = True, release_keys: Path | None = None) -> Plan:
    """The steps that install release ``version`` for ``role`` under ``root``."""
    plan = Plan()
    release = OPT / "releases" / version
    plan.add(f"install Debian packages for the {role}",
             command=["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES[role]], system=True)
    plan.add(f"system user {USER} (no login) in groups {', '.join(GROUPS[role]) or '-'}",
             command=["useradd", "--system", "--user-group", "--home-dir", str(VAR), "--no-create-home",
                      "--shell", "/usr/sbin/nologin", USER], system=True)
    if GROUPS[role]:
        plan.add("device groups for the kiosk user",
                 command=["usermod", "--append", "--groups", ",".join(GROUPS[role]), USER], system=True)
    plan.add(f"release {version} in {release} with its own virtual environment",
             command=["python3", "-m", "venv", str(root / release.relative_to("/"))])
    plan.add("the project and its pinned dependencies into that environment",
             command=_pip_install(root / release.relative_to("/"), source, wheels, version))
    plan.add(f"{OPT / 'current'} -> {release} (atomic switch)",
             action=lambda: switch_current(root / OPT.relative_to("/"), version))
    if role == "station" and release_keys is not None:
        plan.add(f"release keys {ETC / RELEASE_KEYS} (the station trusts updates signed by these)",
                 action=lambda: copy_file(release_keys, root / ETC.relative_to("/") / RELEASE_KEYS, 0o644))
    if role == "station":
        plan.add(f"boot guard in {OPT / 'guard'} (settles a pending update before each start)",
                 action=lambda: install_guard(root / OPT.relative_to("/")))
    plan.add(f"configuration {ETC / (role + '.env')} (secrets generated once, readable by {USER} only)",
             action=lambda: write_env_file(root / ETC.relative_to("/"), role))
    plan.add(f"data folder {VAR / role} (0700)",
             action=lambda: make_private_dir(root / VAR.relative_to("/") / role))
    for unit in UNITS[role]:
        plan.add(f"systemd unit {unit}",
                 action=partial(copy_file, DEPLOY / "systemd" / unit, root / "etc/systemd/system" / unit,
                                0o644))
    if role == "station":
        plan.add(f"udev rules {UDEV_RULES} (stable device links, group permissions)",
                 action=lambda: copy_file(DEPLOY / "udev" / UDEV_RULES,
                                          root / "etc/udev/rules.d" / UDEV_RULES, 0o644))
        plan.add("reload udev rules", command=["udevadm", "control", "--reload-rules"], system=True)
        plan.add("apply them to plugged-in devices", command=["udevadm", "trigger"], system=True)
    if role == "station":  # the station updates itself: it installs beside the running release
        plan.add("releases belong to the kiosk user (updates over the air)",
                 command=["chown", "-R", f"{USER}:{USER}", str(OPT)], system=True)
    plan.add("the data belongs to the kiosk user",
             command=["chown", "-R", f"{USER}:{USER}", str(VAR)], system=True)
    plan.add("the configuration is readable by root and the kiosk group only",
             command=["chown", f"root:{USER}", str(ETC / f"{role}.env")], system=True)
    plan.add("reload systemd", command=["systemctl", "daemon-reload"], system=True)
    if start:
        plan.add("start the services now and at every boot",
                 command=["systemctl", "enable", "--now", *UNITS[role]], system=True)
    return plan


def uninstall_plan(role: str, *, root: Path, purge: bool) -> Plan:
    """Stop and remove the services and releases; configuration and data only with ``purge``."""
    plan = Plan()
    plan.add("stop the services", command=["systemctl", "disable", "--now", *UNITS[role]], system=True)
    for unit in UNITS[role]:
        plan.add(f"remove {unit}", action=partial(remove, root / "etc/systemd/system" / unit))
    if role == "station":
        plan.add(f"remove {UDEV_RULES}", action=lambda: remove(root / "etc/udev/rules.d" / UDEV_RULES))
    plan.add("reload systemd", command=["systemctl", "daemon-reload"], system=True)
    plan.add(f"remove the releases in {OPT}", action=lambda: remove(root / OPT.relative_to("/")))
    if purge:
        plan.add(f"DELETE configuration {ETC}", action=lambda: remove(root / ETC.relative_to("/")))
        plan.add(f"DELETE data {VAR} (back up first: kiosk backup)",
                 action=lambda: remove(root / VAR.relative_to("/")))
        plan.add(f"remove the user {USER}", command=["userdel", USER], system=True)
    else:
        plan.add(f"keep configuration {ETC} and data {VAR} (--purge deletes them)")
    return plan


def run_plan(plan: Plan, *, root: Path, execute: Callable[[Sequence[str]], None] | None = None) -> list[str]:
    """Carry out the plan; return what was skipped because it needs the real machine."""
    execute = execute or _execute
    skipped = []
    for step in plan.steps:
        if step.system and root != Path("/"):
            skipped.append(step.describe())
            continue
        if step.command:
            execute(step.command)
        if step.action:
            step.action()
    return skipped


def switch_current(opt: Path, version: str) -> None:
    """Point ``current`` at ``releases/<version>`` with one rename (never a moment with neither)."""
    opt.mkdir(parents=True, exist_ok=True)
    tmp = opt / f".current.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path("releases") / version)
    os.replace(tmp, opt / "current")


def write_env_file(etc: Path, role: str) -> None:
    """Write ``<role>.env`` once, with fresh secrets; an existing file is kept as it is."""
    etc.mkdir(parents=True, exist_ok=True)
    os.chmod(etc, 0o755)
    target = etc / f"{role}.env"
    if target.exists():
        return
    _atomic_write(target, env_template(role), 0o640)


def env_template(role: str) -> str:
    if role == "station":
        return (
            "# Station settings (see the README's configuration table). Readable by root and kiosk only.\n"
            "KIOSK_ENVIRONMENT=production\n"
            "KIOSK_TIMEZONE=Asia/Shanghai\n"
            f"KIOSK_TECHNICIAN_PIN={secrets.randbelow(10**10):010d}\n"
            f"KIOSK_STAFF_TOKEN={secrets.token_urlsafe(32)}\n"
            "# Devices (udev gives them stable names):\n"
            "KIOSK_PRINTER=usb://0416:5011\n"
            "KIOSK_IDCARD=/dev/kiosk-idcard\n"
            "KIOSK_SCANNER=/dev/kiosk-scanner\n"
            "KIOSK_CAMERA=v4l2:///dev/kiosk-camera\n"
            "# Enrol once with: sudo -u kiosk KIOSK_DATA_DIR=/var/lib/kiosk/station "
            "/opt/kiosk/current/bin/kiosk enroll URL CODE\n")
    return (
        "# Platform settings (see docs/deploy.md). Readable by root and kiosk only.\n"
        "KIOSK_PLATFORM_ENVIRONMENT=production\n"
        "KIOSK_TIMEZONE=Asia/Shanghai\n"
        "KIOSK_PLATFORM_HOST=127.0.0.1\n"
        "KIOSK_PLATFORM_PORT=8480\n"
        "KIOSK_PLATFORM_WORKERS=2\n"
        "KIOSK_PLATFORM_DATABASE_URL=postgresql://kiosk@/kiosk\n"
        f"KIOSK_PLATFORM_ADMIN_PASSWORD={secrets.token_urlsafe(18)}\n")


def make_private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def copy_file(source: Path, target: Path, mode: int) -> None:
    _atomic_write(target, source.read_text(), mode)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _atomic_write(target: Path, text: str, mode: int) -> None:
    write_private_file(target, text.encode(), mode)


def _pip_install(venv: Path, source: Path, wheels: Path | None, version: str) -> list[str]:
    pip = [str(venv / "bin" / "pip"), "install", "--quiet"]
    if wheels is not None:  # from a verified release bundle: offline, exactly its wheels
        return [*pip, "--no-index", "--find-links", str(wheels), "--constraint",
                str(wheels.parent / "constraints.txt"), f"smart-service-station=={version}"]
    return [*pip, "--constraint", str(source / "constraints.txt"), str(source)]


def _execute(command: Sequence[str]) -> None:
    subprocess.run(list(command), check=True)
