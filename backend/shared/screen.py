"""Staff's remote screenshot of a kiosk: the event the station sends its UI, and the refusals
(defined here, where the station that raises them and the platform that shows them both see them)."""

from __future__ import annotations

from .errors import define

CAPTURE_REQUESTED = "ui.capture_requested"
RESIDENT_PRESENT = define("screen.resident_present", 409, "有居民正在使用自助机，暂不截屏。",
                          "A resident is using the kiosk; the screen is not captured.")
NO_ANSWER = define("screen.no_answer", 504, "自助机界面没有响应截屏请求。",
                   "The kiosk screen did not answer the capture request.")
BAD_CAPTURE = define("screen.bad_capture", 422, "截屏数据无效。", "The screen capture is not a valid JPEG.")
UNKNOWN_CAPTURE = define("screen.unknown_capture", 404, "没有这个截屏请求。", "No such capture request.")
