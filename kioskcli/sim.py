"""``kiosk sim``: run the simulated devices, and drive them while they run.

    kiosk sim [start] [DEVICE ...]       run simulators (all by default) and print their URLs
    kiosk sim status                     every running simulator's state
    kiosk sim faults                     the one list of faults
    kiosk sim fault DEVICE FAULT [--param NAME=VALUE ...]
    kiosk sim clear DEVICE               clear a simulator's faults (refills the printer)
    kiosk sim card [--resident NAME|N] [--remove]
    kiosk sim scan TEXT|IMAGE            a serial scan (TEXT) or a camera frame (IMAGE)
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path
from typing import Any

import httpx

from backend.shared.service_notify import keep_alive

from .common import add_data_dir, data_dir_of

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp"}


def register(commands: Any) -> None:
    parser = commands.add_parser("sim", help="simulated devices: run them, break them, feed them")
    _add_start_options(parser)
    parser.set_defaults(run=run_start, devices=[], log_default="INFO")
    actions = parser.add_subparsers(dest="sim_command", metavar="ACTION")
    start = actions.add_parser("start", help="run simulators (all by default)")
    _add_start_options(start)
    start.add_argument("devices", nargs="*", metavar="DEVICE",
                       help="printer, idcard, scanner, camera (default: all)")
    start.set_defaults(run=run_start, log_default="INFO")
    _add_action(actions, "status", "every running simulator's state", run_status)
    faults = actions.add_parser("faults", help="list every fault a simulator can be given")
    faults.set_defaults(run=run_faults, log_default="WARNING")
    fault = _add_action(actions, "fault", "give a running simulator a fault", run_fault)
    fault.add_argument("device")
    fault.add_argument("fault")
    fault.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="fault parameter, e.g. after_lines=3 or bytes_per_second=960")
    clear = _add_action(actions, "clear", "clear a simulator's faults", run_clear)
    clear.add_argument("device")
    card = _add_action(actions, "card", "put a demo resident's ID card on the reader", run_card)
    card.add_argument("--resident", default="1", help="demo register row number or name (default 1)")
    card.add_argument("--remove", action="store_true", help="take the card away instead")
    scan = _add_action(actions, "scan", "scan a code: TEXT on the serial scanner, IMAGE on the camera",
                       run_scan)
    scan.add_argument("payload", metavar="TEXT|IMAGE")


def _add_start_options(parser: argparse.ArgumentParser) -> None:
    add_data_dir(parser)
    parser.add_argument("--printer-port", type=int, default=9100,
                        help="TCP port of the simulated printer (default 9100; 0 picks a free one)")
    parser.add_argument("--serial", choices=("pty", "tcp"), default="pty",
                        help="serial devices behind a pseudo-terminal (default) or socket://")
    parser.add_argument("--dot-width", type=int, choices=(384, 576), default=384,
                        help="printer paper: 384 dots (58 mm) or 576 (80 mm)")


def _add_action(actions: Any, name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
    add_data_dir(parser)
    parser.set_defaults(run=handler, log_default="WARNING")
    return parser


def run_start(args: argparse.Namespace) -> int:
    from devices.sim.runner import DEVICES, SimulatorStack

    from .sim_data import demo_register, printer_font

    sim_dir = data_dir_of(args) / "sim"
    devices = tuple(args.devices) or DEVICES
    stack = SimulatorStack(sim_dir, devices=devices,
                           printer_port=args.printer_port, printer_dot_width=args.dot_width,
                           serial_transport=args.serial, demo_register=demo_register(),
                           printer_font=printer_font() if "printer" in devices else None)
    endpoints = stack.start()
    print("simulators running (Ctrl-C stops them):")
    for name, url in endpoints.devices.items():
        print(f"  {name:8} {url}")
    print(f"  control  {endpoints.control}")
    print(f"  receipts {endpoints.jobs_dir}", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        keep_alive(stopped, lambda: _answers(endpoints.control), "simulators running")
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


def _answers(control: str) -> bool:
    """Whether the control API still serves: proof that the simulators' threads are alive."""
    try:
        return httpx.get(control + "/devices", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def run_faults(_args: argparse.Namespace) -> int:
    from devices.sim.faults import FAULTS

    for device, faults in FAULTS.items():
        print(device)
        for fault in faults:
            params = " ".join(f"[{name}=…]" for name in fault.params)
            print(f"  {fault.name:16} {fault.en} / {fault.zh} {params}".rstrip())
    return 0


def run_status(args: argparse.Namespace) -> int:
    return _control(args, "GET", "/devices")


def run_fault(args: argparse.Namespace) -> int:
    params: dict[str, Any] = {}
    for item in args.param:
        name, _, value = item.partition("=")
        params[name] = int(value) if value.isdigit() else value
    return _control(args, "POST", f"/devices/{args.device}/faults",
                    {"fault": args.fault, "params": params})


def run_clear(args: argparse.Namespace) -> int:
    return _control(args, "DELETE", f"/devices/{args.device}/faults")


def run_card(args: argparse.Namespace) -> int:
    if args.remove:
        return _control(args, "DELETE", "/devices/idcard/card")
    return _control(args, "POST", "/devices/idcard/card", {"resident": args.resident})


def run_scan(args: argparse.Namespace) -> int:
    path = Path(args.payload)
    if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
        return _control(args, "POST", "/devices/camera/show", {"path": str(path.resolve())})
    return _control(args, "POST", "/devices/scanner/scan", {"text": args.payload})


def _control(args: argparse.Namespace, method: str, path: str, body: Any = None) -> int:
    from devices.errors import DeviceError
    from devices.sim.registry import read_endpoints

    try:
        control = read_endpoints(data_dir_of(args) / "sim").control
        response = httpx.request(method, control + path, json=body, timeout=10)
    except (DeviceError, httpx.HTTPError) as err:
        print(f"kiosk sim: {err}")
        return 1
    print(json.dumps(response.json(), ensure_ascii=False, indent=2))
    return 0 if response.status_code < 400 else 1
