"""The stable error codes of community life, each with a message in zh and en."""

from __future__ import annotations

from backend.shared.errors import define

# ---- activities and their tickets ----------------------------------------------------------------
ACTIVITY_NOT_FOUND = define("activity.not_found", 404, "没有找到这个活动。", "This activity was not found.")
SIGNUP_CLOSED = define(
    "activity.signup_closed",
    409,
    "这个活动现在不能报名（不在报名时间内或已取消）。",
    "Sign-up for this activity is not open (outside its sign-up window, or cancelled).",
)
NOT_ELIGIBLE = define(
    "activity.not_eligible",
    403,
    "这个活动只面向特定居民，您不在报名范围内。",
    "This activity is for certain residents only; you are not among them.",
)
ALREADY_SIGNED_UP = define(
    "activity.already_signed_up",
    409,
    "您已经报名了这个活动。",
    "You have already signed up for this activity.",
)
SIGNUP_NOT_FOUND = define(
    "activity.signup_not_found", 404, "没有找到这条报名记录。", "This sign-up was not found."
)
BAD_TICKET = define(
    "activity.bad_ticket",
    422,
    "无法确认这张活动票，请到服务窗口咨询。",
    "This activity ticket could not be confirmed. Please ask at the desk.",
)
TICKET_CANCELLED = define(
    "activity.ticket_cancelled",
    422,
    "这张活动票已取消，不能签到。",
    "This activity ticket was cancelled and cannot be checked in.",
)
TICKET_USED = define(
    "activity.ticket_used",
    409,
    "这张活动票已经签到过了。",
    "This activity ticket has already been checked in.",
)
TICKET_WAITING = define(
    "activity.ticket_waiting",
    409,
    "这张票还在候补名单上，尚未获得名额。",
    "This ticket is still on the waiting list and has no place yet.",
)
CHECKIN_CLOSED = define(
    "activity.checkin_closed",
    409,
    "现在不是这个活动的签到时间。",
    "Check-in for this activity is not open now.",
)
BAD_ACTIVITY = define(
    "activity.invalid",
    422,
    "活动信息不完整或有误，请检查后重试。",
    "The activity's details are incomplete or wrong. Please check them.",
)

# ---- open property accounts ----------------------------------------------------------------------
LEDGER_REJECTED = define(
    "accounts.rejected",
    422,
    "账目文件有错误，未导入任何记录，请按报告修改后重新导入。",
    "The ledger file has errors; nothing was imported. Fix the rows listed and import again.",
)
NOT_OWNER = define(
    "accounts.not_owner",
    403,
    "只有本小区的业主可以查看账目明细。",
    "Only owners in this compound can see the accounts in detail.",
)
MONTH_NOT_FOUND = define(
    "accounts.month_not_found",
    404,
    "这个月的账目还没有公开。",
    "The accounts of this month are not published.",
)
UNKNOWN_COMPOUND = define("compound.unknown", 404, "没有这个小区。", "There is no such compound.")

# ---- compound council ----------------------------------------------------------------------------
PROPOSAL_NOT_FOUND = define(
    "council.proposal_not_found", 404, "没有找到这条议题。", "This proposal was not found."
)
NOT_OF_COMPOUND = define(
    "council.not_of_compound",
    403,
    "只有本小区登记在册的居民可以提出或支持议题。",
    "Only registered residents of this compound may raise or support its proposals.",
)
ALREADY_SUPPORTED = define(
    "council.already_supported",
    409,
    "您家已经支持过这条议题了（每户一次）。",
    "Your household has already supported this proposal (once per household).",
)
PROPOSAL_CLOSED = define(
    "council.proposal_closed", 409, "这条议题已不再征集支持。", "This proposal no longer collects support."
)
BAD_PROPOSAL = define(
    "council.invalid",
    422,
    "议题信息不完整或有误，请检查后重试。",
    "The proposal is incomplete or wrong. Please check it.",
)

# ---- organisations -------------------------------------------------------------------------------
ORGANISATION_NOT_FOUND = define(
    "organisation.not_found",
    404,
    "没有找到这个组织或备案申请。",
    "This organisation or filing was not found.",
)
BAD_ORGANISATION = define(
    "organisation.invalid",
    422,
    "备案信息不完整或有误，请检查后重试。",
    "The filing is incomplete or wrong. Please check it.",
)
ORGANISATION_NOT_APPROVED = define(
    "organisation.not_approved",
    409,
    "只有备案通过的组织可以发布活动。",
    "Only approved organisations may publish activities.",
)
