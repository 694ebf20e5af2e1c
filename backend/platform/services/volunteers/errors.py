"""Errors of the volunteer and emergency domain (stable codes, zh and en)."""

from backend.shared.errors import define

VOLUNTEERS_REJECTED = define(
    "volunteers.rejected",
    422,
    "志愿者名册有错误的行，未导入任何数据。",
    "The volunteer register has bad rows; nothing was imported.",
)
VOLUNTEER_NOT_FOUND = define("volunteers.not_found", 404, "没有这位志愿者。", "No such volunteer.")
COMPOUND_NOT_FOUND = define("volunteers.compound_not_found", 404, "没有这个小区。", "No such compound.")
BAD_BUILDING = define(
    "volunteers.bad_building", 422, "该楼栋不在本社区。", "That building is not in this community."
)
EMERGENCY_ALREADY_ON = define(
    "emergency.already_on", 409, "该区域已处于应急状态。", "This area is already in emergency mode."
)
EMERGENCY_NOT_FOUND = define("emergency.not_found", 404, "没有这个应急状态记录。", "No such emergency.")
EMERGENCY_ENDED = define(
    "emergency.ended", 409, "该区域的应急状态已经结束。", "This emergency has already ended."
)
NEED_NOT_FOUND = define("need.not_found", 404, "没有这条需求。", "No such need.")
NEED_BAD_STATE = define(
    "need.bad_state", 409, "这条需求当前不能这样处理。", "The need cannot take this step now."
)
NOTICE_IMAGE_BAD = define(
    "emergency.bad_notice_image",
    422,
    "通知图片须为不超过 300 KB 的 JPEG 或 PNG 图片。",
    "A notice's image must be a JPEG or PNG picture of at most 300 kB.",
)
