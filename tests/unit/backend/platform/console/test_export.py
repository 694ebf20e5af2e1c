"""Export files: CSV that Excel in China opens right (UTF-8 with a BOM), XLSX that reads back the
same, numbers a resident typed never leave in full, and nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from backend.platform.console.export import Table, cell, to_csv, to_xlsx
from backend.platform.console.maplayout import View, ticket_colour, tile_origin, world_pixel

TABLE = Table("tickets", "工单", ["工单号", "诉求内容", "电话（已遮蔽）", "超期"],
              [["GD-1", "张三 460107199001011234 电话 13812345678", "138****5678", True],
               ["GD-2", "=HYPERLINK(\"http://evil\")", "", False]])


def test_cells_are_masked_and_formula_safe() -> None:
    assert cell("身份证 460107199001011234") == "身份证 4601*************4"
    assert cell("13812345678") == "138****5678"
    assert cell("=1+1") == "'=1+1" and cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell(3) == 3 and cell(None) == "" and cell(True) == "yes"


def test_csv_has_a_bom_and_masked_rows() -> None:
    body = to_csv(TABLE)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["工单号", "诉求内容", "电话（已遮蔽）", "超期"]
    assert rows[1] == ["GD-1", "张三 4601*************4 电话 138****5678", "138****5678", "yes"]
    assert "460107199001011234" not in body.decode("utf-8-sig") and "13812345678" not in body.decode("utf-8-sig")
    assert rows[2][1].startswith("'=")


def test_xlsx_reads_back_the_same() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(TABLE))).active
    assert sheet is not None and sheet.title == "工单"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["工单号", "诉求内容", "电话（已遮蔽）", "超期"]
    assert values[1] == ["GD-1", "张三 4601*************4 电话 138****5678", "138****5678", "yes"]
    assert sheet.freeze_panes == "A2"


def test_map_layout_places_positions_inside_the_box() -> None:
    x, y = world_pixel(0.0, 0.0, 1)
    assert (round(x), round(y)) == (256, 256)
    view = View.around((20.03, 110.35), 13)
    assert view.place(20.03, 110.35) == (50.0, 50.0)
    assert view.place(21.0, 110.35) is None  # far outside
    tiles = view.tiles("https://tiles.example/{z}/{x}/{y}.png")
    assert tiles and all(t.url.startswith("https://tiles.example/13/") for t in tiles)
    assert min(t.left for t in tiles) <= 0 and max(t.left + t.size_w for t in tiles) >= 100
    assert tile_origin("https://tiles.example/{z}/{x}/{y}.png") == "https://tiles.example"
    assert tile_origin("javascript:alert(1)") == ""
    assert ticket_colour(None, "closed") == "off"
    assert ticket_colour({"stage": "on_time"}, "dispatched") == "ok"
    assert ticket_colour({"stage": "supervision"}, "dispatched") == "bad"
