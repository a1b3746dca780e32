"""The *Nhật ký thao tác* window's CSV export: the rows a filter found, times in UTC+7 and UTC, actions by
their Vietnamese names, each row's hash (a reader can match the file to the verified trail)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from console.audit.actions import action_label
from console.audit.chain import ChainedRow
from console.core.atomic import part_path, replace_durably
from console.core.vntime import format_vn_ms
from console.evidence.manifest import utc_text

HEADER = {
    "vi": ("Dòng", "Thời gian (UTC+7)", "Thời gian (UTC)", "Người dùng", "Vai trò", "Thao tác", "Mã thao tác",
           "Camera", "Đối tượng", "Chi tiết", "Mã băm"),
    "en": ("Row", "Time (UTC+7)", "Time (UTC)", "User", "Role", "Action", "Action code", "Camera", "Target",
           "Details", "Hash"),
}


def write_csv(rows: Iterable[ChainedRow], path: Path, lang: str = "vi") -> int:
    """Write `rows` to `path` (UTF-8 with BOM: Excel opens Vietnamese correctly); returns how many."""
    temporary = part_path(path)
    count = 0
    with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER["en" if lang == "en" else "vi"])
        for row in rows:
            out.writerow((row.id, format_vn_ms(row.at_ms), utc_text(row.at_ms), row.user, row.role or "",
                          action_label(row.action, lang), row.action, row.camera or "", row.target or "",
                          row.details, row.hash))
            count += 1
    replace_durably(temporary, path)
    return count
