"""Error codes of the platform's certificate services (each with a message in zh and en)."""

from __future__ import annotations

from backend.shared.errors import define

FULL_ID_REFUSED = define("certificate.search_full_id", 422,
                         "请不要输入完整的身份证号码，可按证明编号、姓名或脱敏号码（如4601*************2）查询。",
                         "Do not enter a full ID number; search by serial, name or the masked number "
                         "(e.g. 4601*************2).")
LINK_INVALID = define("phone_link.invalid", 403, "这个下载链接无效，请回到服务站重新扫码。",
                      "This download link is not valid. Please scan the code at the station again.")
LINK_EXPIRED = define("phone_link.expired", 410,
                      "下载链接已过期（10分钟内有效），请回到服务站重新扫码。",
                      "This download link has expired (links last 10 minutes). Please scan the code "
                      "at the station again.")
LINK_NOT_YET = define("phone_link.not_available", 404,
                      "服务平台还没有收到这份证明，请稍后再试。",
                      "The service platform has not received this certificate yet. Please try again "
                      "in a moment.")
LINK_REVOKED = define("phone_link.revoked", 410, "这份证明已被撤销，不能再下载。",
                      "This certificate has been revoked and can no longer be downloaded.")
RESIDENT_NOT_FOUND = define("resident.not_found", 404, "登记中没有这位居民。",
                            "No such resident in the register.")
DEMO_ONLY = define("demo.only", 404, "此功能仅在演示环境中提供。",
                   "This is only available in the demo environment.")
