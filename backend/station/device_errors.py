"""Device faults as application errors: ``<component>.<status>`` codes with messages that tell a
resident what happened and what to do next (e.g. 503 ``printer.media_empty``)."""

from __future__ import annotations

from backend.shared.errors import AppError, define
from devices.errors import DeviceError
from devices.model import StatusCode

_AFTER_PRINT_ZH = "您的证明已保存，不会重复开具，可稍后补打或到其他服务站打印。"
_AFTER_PRINT_EN = ("Your certificate is saved and will not be issued twice; you can print it later "
                   "here or at another station.")

_PRINTER = {
    StatusCode.MEDIA_EMPTY: ("打印机缺纸。", "The printer is out of paper."),
    StatusCode.MEDIA_JAMMED: ("打印机卡纸。", "The printer's paper is jammed."),
    StatusCode.COVER_OPEN: ("打印机盖未关好。", "The printer cover is open."),
    StatusCode.NOT_REACHABLE: ("无法连接打印机。", "The printer cannot be reached."),
    StatusCode.NOT_RESPONDING: ("打印机没有响应。", "The printer does not respond."),
    StatusCode.TIMEOUT: ("打印机响应超时。", "The printer took too long to answer."),
    StatusCode.HARDWARE_ERROR: ("打印机故障。", "The printer has a fault."),
    StatusCode.DATA_CORRUPTED: ("打印数据出错。", "The print data was corrupted."),
}
_IDCARD = {
    StatusCode.NOT_REACHABLE: ("无法连接身份证读卡器。", "The ID card reader cannot be reached."),
    StatusCode.NOT_RESPONDING: ("身份证读卡器没有响应。", "The ID card reader does not respond."),
    StatusCode.TIMEOUT: ("身份证读卡器响应超时。", "The ID card reader took too long to answer."),
    StatusCode.DATA_CORRUPTED: ("读卡出错，请重新放置身份证。",
                                "The card could not be read. Please place it again."),
    StatusCode.HARDWARE_ERROR: ("身份证读卡器故障。", "The ID card reader has a fault."),
}

for _code, (_zh, _en) in _PRINTER.items():
    define(f"printer.{_code.value.lower()}", 503, _zh + _AFTER_PRINT_ZH, _en + " " + _AFTER_PRINT_EN)
_CAMERA = {
    StatusCode.NOT_REACHABLE: ("无法连接摄像头。", "The camera cannot be reached."),
    StatusCode.NOT_RESPONDING: ("摄像头还没有画面，请稍等再拍。",
                                "The camera has no picture yet. Please wait a moment."),
    StatusCode.HARDWARE_ERROR: ("摄像头故障。", "The camera has a fault."),
}
for _code, (_zh, _en) in _CAMERA.items():
    define(f"camera.{_code.value.lower()}", 503, _zh + "您也可以不附照片直接提交。",
           _en + " You can also file without a photo.")
for _code, (_zh, _en) in _IDCARD.items():
    define(f"idcard.{_code.value.lower()}", 503, _zh + "请联系工作人员或拨打12345。",
           _en + " Please contact the staff or call 12345.")


def device_app_error(component: str, err: DeviceError) -> AppError:
    """Return the application error for a device fault."""
    code = f"{component}.{err.status_code.value.lower()}"
    try:
        return AppError(code, detail=str(err)[:200])
    except KeyError:
        return AppError(f"{component}.hardware_error", detail=str(err)[:200])


# Problems with the card itself, not the reader: the resident can do something about them.
_CARD = {
    "expired": ("您的身份证已过期，请使用有效证件，或到派出所换领。",
                "Your ID card has expired. Please use a valid card or renew it at the police station."),
    "invalid_number": ("无法核验这张身份证的号码，请到服务窗口办理。",
                       "The number on this ID card could not be verified. Please go to the service desk."),
    "card_removed": ("读卡时身份证被移开了，请把身份证放回读卡区，不要移动。",
                     "The card was moved while it was being read. Place it on the reader and keep it still."),
    "card_data": ("这张身份证的信息无法读取，请重新放置或到服务窗口办理。",
                  "The data on this card could not be read. Place it again or go to the service desk."),
}
CARD_PROBLEMS = {reason: define(f"idcard.{reason}", 422, zh, en) for reason, (zh, en) in _CARD.items()}


def card_problem(reason: str) -> dict[str, object]:
    """Return the event body telling the resident what is wrong with their card."""
    code = CARD_PROBLEMS.get(reason, "idcard.card_data")
    return AppError(code).as_dict() | {"reason": reason}
