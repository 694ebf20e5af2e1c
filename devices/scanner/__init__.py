"""Scanners: serial scan engines, keyboard-wedge (HID) scanners and cameras, one contract.

Every scanner meets ``base.Scanner``: ``read_code(timeout) -> ScannedCode | None`` delivers each
new code once (repeats of the same payload within ~2 s are dropped), raises
``DataCorruptedError`` for a scan that cannot be a code, and ``DeviceNotReachableError`` when the
device goes away. The layer delivers exact bytes and UTF-8 text; the backend interprets them.

    events.py          ScannedCode, Symbology, payload checks (length, control chars, base45)
    decoder.py         Decoder seam for camera frames: ZxingDecoder, PyzbarDecoder, default
    zbar_binary.py     zbar with QR binary mode, through pyzbar's ctypes wrapper
    camera.py          frame sources (V4L2, folder) and CameraScanner; camera URL forms
    serial_scanner.py  SerialScanner over any pyserial URL; CR / LF / CR LF framing
    hid.py             EvdevScanner for keyboard wedges (python-evdev, optional)
    factory.py         open_scanner(url)

Simulated twins: ``devices.sim.scanner.SimulatedSerialScanner`` (a pty or TCP peer) and
``devices.sim.camera.SimulatedCamera`` (writes frames to a folder the camera source plays).
"""

from .base import DuplicateFilter, Scanner
from .camera import CameraScanner, FolderFrameSource, FrameSource, open_frame_source
from .decoder import Decoded, Decoder, PyzbarDecoder, ZxingDecoder, default_decoder
from .events import ScannedCode, Symbology
from .factory import open_scanner
from .serial_scanner import SerialScanner, Terminator

__all__ = [
    "CameraScanner", "Decoded", "Decoder", "DuplicateFilter", "FolderFrameSource", "FrameSource",
    "PyzbarDecoder", "ScannedCode", "Scanner", "SerialScanner", "Symbology", "Terminator",
    "ZxingDecoder", "default_decoder", "open_frame_source", "open_scanner",
]
