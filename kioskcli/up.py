"""``kiosk up``: the whole station on one machine — simulated devices, the one-window platform,
the station backend (enrolled with the platform) and the kiosk window — on SQLite under one data
folder. Ctrl-C stops everything."""

from __future__ import annotations

import argparse
import os
import signal
import time
import unicodedata
from pathlib import Path
from typing import Any

from backend.platform.settings import load_settings

from .common import add_data_dir, data_dir_of
from .demo_platform import ensure_enrolled, start_platform
from .processes import Child, http_ok, kiosk_command, spawn, stop_all, wait_until


def register(commands: Any) -> None:
    parser = commands.add_parser("up", help="run simulators, station and kiosk window together")
    add_data_dir(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address the servers listen on")
    parser.add_argument("--station-port", type=int, default=8470)
    parser.add_argument("--platform-port", type=int, default=8480)
    parser.add_argument("--no-platform", action="store_true",
                        help="run the station alone (no platform, no enrolment)")
    parser.add_argument("--printer-port", type=int, default=9100,
                        help="TCP port of the simulated printer (raw ESC/POS, like 9100)")
    parser.add_argument("--no-ui", action="store_true", help="do not open the kiosk window")
    parser.add_argument("--fullscreen", action="store_true", help="kiosk window fullscreen")
    parser.set_defaults(run=run, log_default="INFO")


def run(args: argparse.Namespace) -> int:
    os.umask(0o077)  # logs, databases, receipts: the kiosk user's alone
    data_dir = data_dir_of(args)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    logs = data_dir / "logs"
    env = {"KIOSK_DATA_DIR": str(data_dir)}
    children: list[Child] = []
    _stop_on_sigterm()
    try:
        children.append(_start_sim(args, data_dir, logs, env))
        platform_url = None
        admin = load_settings(data_dir=data_dir / "platform")
        if not args.no_platform:
            platform_url = f"http://{args.host}:{args.platform_port}"
            children.append(start_platform(args, data_dir, logs, env, platform_url))
            ensure_enrolled(data_dir, platform_url, username=admin.admin_user,
                            password=admin.effective_admin_password)
        station_url = f"http://{args.host}:{args.station_port}"
        children.append(_start_station(args, data_dir, logs, env, station_url))
        ui_note = _ui_note(args)
        if ui_note is None:
            children.append(spawn("ui", kiosk_command("ui", "--data-dir", str(data_dir),
                                                      "--station", station_url,
                                                      *(["--fullscreen"] if args.fullscreen else [])),
                                  logs, essential=False, env=env))
        _print_banner(data_dir, station_url, ui_note, platform_url)
        return _supervise(children)
    except RuntimeError as err:
        print(f"kiosk up: {err}")
        return 1
    finally:
        stop_all(children)


def _start_sim(args: argparse.Namespace, data_dir: Path, logs: Path, env: dict[str, str]) -> Child:
    endpoints = data_dir / "sim" / "endpoints.json"
    endpoints.unlink(missing_ok=True)
    child = spawn("sim", kiosk_command("sim", "--data-dir", str(data_dir),
                                       "--printer-port", str(args.printer_port)), logs, env=env)
    wait_until(endpoints.exists, child, timeout=20)
    return child


def _start_station(args: argparse.Namespace, data_dir: Path, logs: Path, env: dict[str, str],
                   url: str) -> Child:
    child = spawn("station", kiosk_command("station", "--data-dir", str(data_dir), "--host", args.host,
                                           "--port", str(args.station_port)), logs, env=env)
    wait_until(http_ok(url + "/api/health"), child, timeout=30)
    return child


def _ui_note(args: argparse.Namespace) -> str | None:
    """Why the kiosk window is not opened, or None to open it."""
    if args.no_ui:
        return "the kiosk window is off (--no-ui); open it with `kiosk ui`"
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return ("no display found (DISPLAY is not set), so the kiosk window is not opened; "
                "everything else runs. On a machine with a screen run `kiosk ui`, or use "
                "`xvfb-run .venv/bin/kiosk up`")
    return None


def _print_banner(data_dir: Path, station_url: str, ui_note: str | None,
                  platform_url: str | None) -> None:
    flag = f"--data-dir {data_dir}"
    admin = load_settings(data_dir=data_dir / "platform")
    sign_in = f"{admin.admin_user} / {admin.effective_admin_password or 'KIOSK_PLATFORM_ADMIN_PASSWORD'}"
    console = f"{platform_url}/console   (sign in: {sign_in})" if platform_url else "-"
    platform = f"{platform_url}/docs" if platform_url else "not started (--no-platform)"
    phone = f"{platform_url}/demo/phone   (a resident QR code, not the ID card)" if platform_url else "-"
    print(f"""
24小时智慧服务站 — the station is running (Ctrl-C stops everything)
  data folder       {data_dir}   (logs in {data_dir / 'logs'})
  station API       {station_url}/docs
  staff console     {console}
  platform API      {platform}
  resident's phone  {phone}
  receipts land in  {data_dir / 'sim' / 'printer' / 'jobs'}   (.bin raw ESC/POS, .txt, .png)
  kiosk window      {ui_note or 'open'}

Drive the simulated devices from another terminal ({_sim_help(flag)}
""", flush=True)


SIM_ACTIONS = (
    ("sim card {flag} --resident 张三", "put a demo resident's ID card on the reader"),
    ("sim card {flag} --remove", "take it away"),
    ("sim fault {flag} printer paper_out", "run the printer out of paper"),
    ("sim clear {flag} printer", "refill it"),
    ("sim faults", "list every fault"),
    ("sim status {flag}", "every simulator's state"),
)


def _sim_help(flag: str) -> str:
    commands = [(f".venv/bin/kiosk {c.format(flag=flag)}", what) for c, what in SIM_ACTIONS]
    width = max(_columns(c) for c, _ in commands)
    lines = "\n".join(f"  {c}{' ' * (width - _columns(c))}   {what}" for c, what in commands)
    return f"the data folder is {flag.split(' ', 1)[1]}):\n{lines}\n"


def _columns(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _supervise(children: list[Child]) -> int:
    while True:
        for child in children:
            if not child.alive():
                if child.essential:
                    print(f"kiosk up: {child.name} stopped (exit {child.process.returncode}):\n"
                          f"{child.tail()}")
                    return 1
                print(f"kiosk up: the kiosk window closed (exit {child.process.returncode}); "
                      "the station keeps running. Last lines of its log:\n" + child.tail(8))
                children.remove(child)
                break
        time.sleep(0.5)


def _stop_on_sigterm() -> None:
    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
