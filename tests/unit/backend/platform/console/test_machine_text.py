"""Machine text said in the console's words (issue 20, defect 11): a person never reads a raw code."""

from __future__ import annotations

from backend.platform.console.machine_text import alert_detail, component_detail, refusal, service_reason


def test_service_reason_in_words() -> None:
    said = service_reason("zh", "certificates: consumables printer=MEDIA_EMPTY")
    assert said == "出具证明：耗材 · 热敏打印机 缺纸"
    assert "MEDIA_EMPTY" not in service_reason("en", "certificates: consumables printer=MEDIA_EMPTY")
    assert service_reason("zh", "盘点 / stocktaking") == "盘点 / stocktaking"  # what staff typed


def test_details_and_refusals_in_words() -> None:
    assert component_detail("zh", "no card") == "未放卡"
    assert component_detail("zh", "something new") == ""  # not shown rather than raw
    assert alert_detail("zh", "printer_paper_out", "printer reports MEDIA_EMPTY") == "热敏打印机：缺纸"
    assert alert_detail("zh", "outbox_growing", "3 unsent, oldest 40 s") == "3 条未上传，最早的已等待 40 秒"
    assert alert_detail("zh", "idcard_fault", "NOT_RESPONDING for 181 s") == "无响应，已持续 181 秒"
    assert refusal("zh", "certificate.not_printable") == "这份证明已撤销或失效，不能补打。"
    assert refusal("en", "some.station.code") == "The station could not carry out this command."
