"""The console's words for handling results and machine text, merged into WORDS: which field was
wrong and why, what a station's components, service reasons and alerts report (their machine
text never reaches a person), duplicates, the resident's contact, revocations."""

from __future__ import annotations

HANDLING_WORDS: dict[str, tuple[str, str]] = {
    "close": ("关闭", "Close"),
    "error.unknown": ("操作未能完成，请稍后重试。", "That could not be done; please try again later."),
    # which field, and why
    "why.empty": ("必须填写，不能为空。", "must be filled in; it is empty."),
    "why.too_long": ("内容过长。", "is too long."),
    "why.range": ("超出允许的范围。", "is out of the allowed range."),
    "why.invalid": ("填写有误。", "is not valid."),
    "why.unknown_staff": ("不是本辖区的工作人员，请从列表中选择。",
                          "is not a staff member of this area; choose one from the list."),
    "field.suspend_reason": ("暂停原因", "Reason for suspending"),
    "field.reply_text": ("答复内容", "Reply"),
    "field.note": ("备注", "Note"),
    "field.to": ("指派给", "Assign to"),
    # the resident's contact
    "contact.reveal": ("显示完整电话（记入审计）", "Show the full phone number (audited)"),
    "contact.revealed": ("已显示完整电话，此次查看已记入审计日志。",
                         "Shown in full; this view is in the audit log."),
    # duplicates
    "dup.title": ("可能重复", "Likely duplicates"),
    "dup.warning": ("以下工单可能与本工单是同一件事。核实后可关联，避免重复办理。",
                    "These tickets may be about the same thing. Once checked, link them so it is handled "
                    "once."),
    "dup.similarity": ("相似度", "similarity"),
    "dup.link": ("关联为重复件", "Link as duplicate"),
    "dup.linked": ("已关联的工单", "Linked tickets"),
    "done.linked": ("已关联为重复件。", "Linked as duplicates."),
    # who did it
    "actor.resident": ("居民", "resident"),
    "actor.anonymous resident": ("匿名居民", "anonymous resident"),
    "actor.system": ("系统", "system"),
}
