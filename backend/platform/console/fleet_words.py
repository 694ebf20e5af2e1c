"""Words of the fleet overview's counts, search and pages (merged into i18n.WORDS)."""

from __future__ import annotations

FLEET_WORDS: dict[str, tuple[str, str]] = {
    "fleet.counts": ("按状况统计", "By health"),
    "fleet.search": ("搜索站点", "Search stations"),
    "fleet.showing": ("显示第 {first}–{last} 个，共 {total} 个", "Showing {first}–{last} of {total}"),
    "fleet.prev": ("上一页", "Previous"),
    "fleet.next": ("下一页", "Next"),
    "fleet.pages": ("分页", "Pages"),
}
