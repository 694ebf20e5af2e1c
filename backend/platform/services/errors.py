"""The platform's error codes (each with a message in zh and en)."""

from __future__ import annotations

from backend.shared.errors import define

BAD_CREDENTIALS = define("auth.bad_credentials", 401, "用户名或密码不正确。",
                         "The user name or password is not right.")
LOCKED = define("auth.locked", 429, "登录失败次数过多，请稍后再试。",
                "Too many failed sign-ins. Please try again later.")
RATE_LIMITED = define("auth.rate_limited", 429, "登录尝试过于频繁，请一分钟后再试。",
                      "Too many sign-in attempts. Please wait a minute and try again.")
PASSWORD_CHANGE_REQUIRED = define("auth.password_change_required", 403, "请先修改密码。",
                                  "Please change your password first.")
WRONG_PASSWORD = define("user.wrong_password", 403, "当前密码不正确。", "The current password is not right.")
SAME_PASSWORD = define("user.same_password", 422, "新密码不能与当前密码相同。",
                       "The new password must differ from the current one.")
USER_NOT_FOUND = define("user.not_found", 404, "没有找到该用户。", "No such user.")
USER_SELF = define("user.self", 409, "不能停用自己的账户。", "You cannot deactivate your own account.")
DEMO_PASSWORD_IN_PRODUCTION = define(
    "platform.demo_password", 500,
    "生产环境中仍有账户使用演示密码，平台拒绝启动。请用 kiosk users reset-password 重设该账户的密码。",
    "An account still has a demo password; production refuses to start. Reset it with "
    "`kiosk users reset-password`.")
SIGNATURE_MISSING = define("sync.signature_missing", 401, "请求没有签名。", "The request is not signed.")
SIGNATURE_INVALID = define("sync.signature_invalid", 401, "请求签名无效。",
                           "The request's signature is not valid.")
UNKNOWN_STATION = define("sync.unknown_station", 401, "未登记的服务站。",
                         "This station is not enrolled.")
STALE = define("sync.stale", 401, "请求时间超出允许范围，请校准时钟。",
               "The request's time is out of range. Please check the clock.")
REPLAYED = define("sync.replayed", 401, "重复的请求已被拒绝。", "A replayed request was refused.")
NOT_YOURS = define("sync.not_yours", 403, "服务站只能提交自己的记录。",
                   "A station may only write its own records.")
CODE_UNKNOWN = define("enrolment.code_unknown", 403, "登记码无效。",
                      "This enrolment code is not valid.")
CODE_USED = define("enrolment.code_used", 409, "登记码已被使用，请向管理员申请新的登记码。",
                   "This enrolment code has already been used. Ask for a new one.")
CODE_EXPIRED = define("enrolment.code_expired", 410, "登记码已过期，请向管理员申请新的登记码。",
                      "This enrolment code has expired. Ask for a new one.")
SEQUENCE_BEHIND = define("enrolment.sequence_behind", 409,
                         "该服务站的数据编号落后于平台记录，请新建服务站后登记。",
                         "This station's outbox restarts behind what the platform has applied; "
                         "create a new station for it.")
BAD_KEYS = define("enrolment.bad_keys", 422, "提交的公钥无效。", "The public keys sent are not valid.")
STATION_EXISTS = define("station.exists", 409, "服务站编号已存在。", "A station with this id exists.")
STATION_CODE_TAKEN = define("station.code_taken", 409, "该社区已有相同站点代码的服务站。",
                            "Another station of this community has this station code.")
STATION_NOT_FOUND = define("station.not_found", 404, "没有找到该服务站。", "No such station.")
ORG_UNKNOWN = define("org.unknown", 404, "没有找到该组织单位。", "No such organisation unit.")
NOT_A_COMMUNITY = define("org.not_community", 422, "服务站必须属于一个社区。",
                         "A station must belong to a community.")
COMMAND_INVALID = define("command.invalid", 422, "指令或参数无效。",
                         "The command or its parameters are not valid.")
ALERT_NOT_FOUND = define("alert.not_found", 404, "没有找到该告警。", "No such alert.")
ALERT_ASSIGNEE_UNKNOWN = define("alert.assignee_unknown", 422,
                                "指派对象不是负责该站点所在区域的在岗工作人员，请从列表中选择。",
                                "That is not an active staff member of this station's area; choose one "
                                "from the list.")
REGISTER_REJECTED = define("register.rejected", 422, "登记表有错误，未做任何更改。",
                           "The register file has errors; nothing was changed.")
USER_EXISTS = define("user.exists", 409, "用户名已存在。", "This user name is taken.")
WEAK_PASSWORD = define("user.weak_password", 422, "密码至少需要12个字符。",
                       "A password needs 12 characters or more.")
REGISTER_CONFIRM_REMOVAL = define(
    "register.confirm_removal", 409, "此次导入将从名册中移除较多居民，请再次确认移除后才能导入。",
    "This import removes many residents from the register; confirm the removal as well to import it.")
REGISTER_IMPORT_NOT_FOUND = define("register.import_not_found", 404, "找不到这次名册导入。",
                                   "No such register import.")
REGISTER_IMPORT_CLOSED = define(
    "register.import_closed", 409, "这次导入已确认、已取消或已过期，请重新上传。",
    "This import was already confirmed, cancelled or has expired; upload it again.")
REGISTER_VERSION_NOT_FOUND = define("register.version_not_found", 404, "找不到该名册版本。",
                                    "No such register version.")
CHANNEL_NOT_FOUND = define("notify.channel_not_found", 404, "没有找到该通知渠道。",
                           "No such notification channel.")
CHANNEL_TARGET = define("notify.bad_target", 422, "通知渠道的地址与类型不符。",
                        "The channel's target does not fit its kind (URL, e-mail address or mobile number).")
AREA_NOT_YOURS = define("notify.area_not_yours", 403, "只能管理本辖区及下级区域的通知。",
                        "You may only manage notifications of your own area and the areas below it.")
SILENCE_NOT_FOUND = define("notify.silence_not_found", 404, "没有找到该静默。", "No such silence.")
