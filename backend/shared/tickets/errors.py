"""The error codes of residents' requests (tickets) and ratings, each with a message in zh and en.

Codes are stable: the kiosk, the staff console and Open311 clients switch on them.
"""

from __future__ import annotations

from backend.shared.errors import define

# ---- what a resident or client sends -------------------------------------------------------------
UNKNOWN_CATEGORY = define("ticket.unknown_category", 422, "没有这个诉求类别，请重新选择。",
                          "There is no such category. Please choose again.")
ANONYMOUS_NOT_ALLOWED = define("ticket.anonymous_not_allowed", 403,
                               "这类诉求需要先刷身份证或扫码核验身份。",
                               "This kind of request needs you to identify first.")
DESCRIPTION_EMPTY = define("ticket.description_empty", 422, "请选择常用语或写几句说明。",
                           "Please pick a ready phrase or write a few words.")
DESCRIPTION_TOO_LONG = define("ticket.description_too_long", 422, "说明太长了，请精简一些。",
                              "The description is too long. Please shorten it.")
BAD_TEXT = define("ticket.bad_text", 422, "内容中有无法识别的字符，请修改后重试。",
                  "The text contains characters that cannot be accepted.")
BAD_PHRASE = define("ticket.bad_phrase", 422, "常用语不属于这个类别。",
                    "A ready phrase does not belong to this category.")
BAD_PHONE = define("ticket.bad_phone", 422, "电话号码不正确，请输入手机号或带区号的固定电话。",
                   "This is not a phone number. Enter a mobile number or a landline with its area code.")
BAD_PLACE = define("ticket.bad_place", 422, "请重新选择地点。", "Please choose the place again.")
BAD_PHOTO = define("ticket.bad_photo", 422, "照片无法读取，请重新拍摄。",
                   "The photo cannot be read. Please take it again.")
IDEMPOTENCY_CONFLICT = define("ticket.idempotency_conflict", 409, "这个请求已用于另一条诉求，请重新开始。",
                              "This request was already used for another ticket. Please start again.")
NOT_FOUND = define("ticket.not_found", 404, "没有找到这条诉求。", "This request was not found.")
BAD_SLIP = define("ticket.bad_slip", 422, "这不是有效的诉求回执二维码。",
                  "This is not a valid request slip QR code.")

# ---- the workflow ---------------------------------------------------------------------------------
TRANSITION_REFUSED = define("ticket.transition_refused", 409, "工单当前状态不允许这个操作。",
                            "The ticket's current state does not allow this.")
NOT_CLASSIFIED = define("ticket.not_classified", 409, "请先分类分级再派单。",
                        "Classify and grade the ticket before dispatching it.")
NOT_SIGNED = define("ticket.not_signed", 409, "工单尚未签收办理，不能答复或办结。",
                    "The ticket has not been signed for; it cannot be replied to or closed.")
NOT_REPLIED = define("ticket.not_replied", 409, "请先答复再办结。", "Reply before closing the ticket.")
NOT_CLOSED = define("ticket.not_closed", 409, "诉求办结后才能评价。",
                    "A request can be rated once it is closed.")
ALREADY_RATED = define("ticket.already_rated", 409, "您已经评价过了，谢谢。",
                       "This has already been rated. Thank you.")
EXTENSION_PENDING = define("ticket.extension_pending", 409, "已有一个延期申请等待审批。",
                           "An extension request is already waiting for approval.")
NO_EXTENSION = define("ticket.no_extension", 409, "没有待审批的延期申请。",
                      "There is no extension request to decide.")
EXTENSION_LIMIT = define("ticket.extension_limit", 409, "延期次数或天数超过上限。",
                         "Too many extensions or too many days asked.")
BAD_GRADE = define("ticket.bad_grade", 422, "分级只能是紧急、一般或复杂。",
                   "The grade must be urgent, normal or complex.")
BAD_ROLE = define("ticket.bad_role", 422, "没有这个承办角色。", "There is no such handler role.")
BAD_UNIT = define("ticket.bad_unit", 422, "不能派给这个单位。", "The ticket cannot go to this unit.")
BAD_REASON = define("ticket.bad_reason", 422, "请选择一个有效的理由。", "Please choose a valid reason.")
BAD_RATING = define("ticket.bad_rating", 422, "请选择五个评价等级之一。",
                    "Please choose one of the five rating levels.")
NOT_YOUR_TICKET = define("ticket.not_yours", 403, "这条诉求不由您所在的单位办理。",
                         "This ticket is not handled by your unit.")
ALREADY_LINKED = define("ticket.already_linked", 409, "这两条诉求已经关联。",
                        "These two tickets are already linked.")

# ---- ratings of other services (certificates) ---------------------------------------------------
RATING_NOT_FINISHED = define("rating.not_finished", 409, "服务完成后才能评价。",
                             "A service can be rated once it is finished.")
