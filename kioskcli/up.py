"""``kiosk up``: the whole station on one machine — simulated devices, the one-window platform,
the station backend (enrolled with the platform) and the kiosk window — on SQLite under one data
folder. Ctrl-C stops everything.

Each part runs under a supervisor (supervisor.py): a part that stops or hangs is restarted with
backoff, one in a crash loop is put out of service (and the platform told) while the rest runs on."""

from __future__ import annotations

import argparse
import os
import signal
import unicodedata
from pathlib import Path
from typing import Any

from backend.platform.settings import load_settings

from .common import add_data_dir, data_dir_of
from .demo_platform import ensure_enrolled, start_platform
from .part_reports import PartReports
from .processes import http_ok, kiosk_command
from .restart_policy import SupervisorSettings
from .supervisor import Change, Supervisor


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
    parser.add_argument("--stations", type=_station_count, default=1, metavar="N",
                        help="stations in the demo district: this one and N-1 headless demo stations in "
                             "other Qiongshan communities that heartbeat, issue and fault now and then "
                             "(default 1; needs the platform)")
    parser.set_defaults(run=run, log_default="INFO")


def _station_count(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError("--stations takes 1 to 50")
    return value


def run(args: argparse.Namespace) -> int:
    os.umask(0o077)  # logs, databases, receipts: the kiosk user's alone
    data_dir = data_dir_of(args)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    env = {"KIOSK_DATA_DIR": str(data_dir)}
    supervisor = Supervisor(SupervisorSettings().policy(), data_dir / "logs", data_dir / "run")
    supervisor.listeners.append(_print_change)
    reports: PartReports | None = None
    _stop_on_sigterm()
    try:
        _start_sim(supervisor, args, data_dir, env)
        platform_url = None
        admin = load_settings(data_dir=data_dir / "platform")
        if not args.no_platform:
            platform_url = f"http://{args.host}:{args.platform_port}"
            start_platform(supervisor, args, data_dir, env, platform_url)
            ensure_enrolled(data_dir, platform_url, username=admin.admin_user,
                            password=admin.effective_admin_password)
            if args.stations > 1:
                supervisor.start("fleet", kiosk_command("demo-fleet", "--data-dir", str(data_dir),
                                                        "--platform", platform_url,
                                                        "--stations", str(args.stations - 1)), env=env)
        station_url = f"http://{args.host}:{args.station_port}"
        _start_station(supervisor, args, data_dir, env, station_url)
        reports = PartReports(station_url, data_dir)
        supervisor.listeners.append(reports)
        ui_note = _ui_note(args)
        if ui_note is None:
            supervisor.start("ui", kiosk_command("ui", "--data-dir", str(data_dir), "--station", station_url,
                                                 *(["--fullscreen"] if args.fullscreen else [])), env=env)
        _print_banner(data_dir, station_url, ui_note, platform_url)
        supervisor.run()
        return 0
    except RuntimeError as err:
        print(f"kiosk up: {err}")
        return 1
    finally:
        supervisor.stop()
        if reports is not None:
            reports.stop()


def _start_sim(supervisor: Supervisor, args: argparse.Namespace, data_dir: Path,
               env: dict[str, str]) -> None:
    endpoints = data_dir / "sim" / "endpoints.json"
    endpoints.unlink(missing_ok=True)
    supervisor.start("sim", kiosk_command("sim", "--data-dir", str(data_dir),
                                          "--printer-port", str(args.printer_port)),
                     env=env, ready=endpoints.exists, ready_timeout=20)


def _start_station(supervisor: Supervisor, args: argparse.Namespace, data_dir: Path,
                   env: dict[str, str], url: str) -> None:
    supervisor.start("station", kiosk_command("station", "--data-dir", str(data_dir), "--host", args.host,
                                              "--port", str(args.station_port)),
                     env=env, ready=http_ok(url + "/api/health"), ready_timeout=30)


def _print_change(change: Change) -> None:
    if change.what != "alive":
        print(f"kiosk up: {change.part} {change.what.replace('_', ' ')}"
              f"{': ' + change.detail if change.detail else ''}", flush=True)


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


def _stop_on_sigterm() -> None:
    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
