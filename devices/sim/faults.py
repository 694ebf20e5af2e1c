"""The one list of faults a simulator can be told to have.

The technician CLI (``kiosk sim fault DEVICE FAULT``), the tests and the maintenance screen all
read this list; a simulator refuses a fault that is not in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fault:
    name: str
    en: str
    zh: str
    params: dict[str, str] = field(default_factory=dict)  # name -> what it means


_COUNT = {"count": "clear the fault by itself after this many replies"}

FAULTS: dict[str, tuple[Fault, ...]] = {
    "printer": (
        Fault("paper_low", "paper near its end", "纸将用尽"),
        Fault("paper_out", "out of paper, now or after N more lines", "缺纸",
              {"after_lines": "run out after this many printed lines (mid-job)"}),
        Fault("cover_open", "the cover is open", "打印机盖未关"),
        Fault("jam", "paper jammed at the cutter", "卡纸"),
        Fault("offline", "accepts connections but never answers", "脱机（无应答）"),
        Fault("drop_connection", "closes every connection at once", "断开连接"),
        Fault("slow", "reads slowly, like a serial line", "低速",
              {"bytes_per_second": "e.g. 960 for 9600 baud"}),
    ),
    "idcard": (
        Fault("card_removed", "the card is taken away in the middle of a read", "读卡中卡片被取走",
              {"at": "read (default) or select", **_COUNT}),
        Fault("checksum_error", "replies with a wrong checksum", "校验错误", dict(_COUNT)),
        Fault("garbage", "sends random bytes instead of frames", "乱码",
              {"length": "bytes of noise (default 64)",
               "prefix": "true: noise before a good frame rather than instead of it", **_COUNT}),
        Fault("silence", "never answers", "无应答", dict(_COUNT)),
        Fault("expired_card", "the card on the reader has expired", "证件已过期",
              {"days_ago": "how long ago it expired (default 30)"}),
        Fault("invalid_number", "the card's ID number has a wrong check digit", "身份号码无效"),
    ),
    "scanner": (
        Fault("garbage", "sends undecodable bytes", "乱码"),
        Fault("silence", "delivers nothing", "无应答"),
    ),
    "camera": (
        Fault("silence", "delivers no frames", "无画面"),
        Fault("blur", "delivers blurred frames that cannot be read", "画面模糊"),
    ),
}


class UnknownFaultError(ValueError):
    """The fault is not in the list for that device."""


def find_fault(device: str, name: str) -> Fault:
    """Return the fault named for a device, or raise UnknownFaultError listing what exists."""
    faults = FAULTS.get(device)
    if faults is None:
        raise UnknownFaultError(f"unknown device {device!r}; devices: {', '.join(FAULTS)}")
    for fault in faults:
        if fault.name == name:
            return fault
    names = ", ".join(f.name for f in faults)
    raise UnknownFaultError(f"unknown fault {name!r} for {device}; faults: {names}")
