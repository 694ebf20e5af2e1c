"""The device error tree. Vendor and transport errors are wrapped here, at the boundary.

Every error carries the CUSS status code that describes the component after it, so the layer
above can both update the component's state and tell the resident what happened.
"""

from __future__ import annotations

from .model import StatusCode


class DeviceError(Exception):
    """A device could not do what was asked."""

    status_code: StatusCode = StatusCode.HARDWARE_ERROR

    def __init__(self, message: str = "", *, status_code: StatusCode | None = None) -> None:
        super().__init__(message or self.__class__.__name__)
        if status_code is not None:
            self.status_code = status_code


class DeviceNotReachableError(DeviceError):
    status_code = StatusCode.NOT_REACHABLE


class DeviceNotRespondingError(DeviceError):
    status_code = StatusCode.NOT_RESPONDING


class DeviceTimeoutError(DeviceError):
    status_code = StatusCode.TIMEOUT


class MediaEmptyError(DeviceError):
    status_code = StatusCode.MEDIA_EMPTY


class MediaJammedError(DeviceError):
    status_code = StatusCode.MEDIA_JAMMED


class CoverOpenError(DeviceError):
    status_code = StatusCode.COVER_OPEN


class HardwareError(DeviceError):
    status_code = StatusCode.HARDWARE_ERROR


class DataCorruptedError(DeviceError):
    status_code = StatusCode.DATA_CORRUPTED


class DeviceConfigError(DeviceError):
    """A device URL or profile in the configuration is wrong; fixed by a technician."""

    status_code = StatusCode.HARDWARE_ERROR


def error_for_status(code: StatusCode, message: str = "") -> DeviceError:
    """Return the error class that matches a status code, for drivers that learn it from a poll."""
    classes: dict[StatusCode, type[DeviceError]] = {
        StatusCode.NOT_REACHABLE: DeviceNotReachableError,
        StatusCode.NOT_RESPONDING: DeviceNotRespondingError,
        StatusCode.TIMEOUT: DeviceTimeoutError,
        StatusCode.MEDIA_EMPTY: MediaEmptyError,
        StatusCode.MEDIA_JAMMED: MediaJammedError,
        StatusCode.COVER_OPEN: CoverOpenError,
        StatusCode.DATA_CORRUPTED: DataCorruptedError,
    }
    return classes.get(code, HardwareError)(message, status_code=code)
