"""The words of a case report (*Báo cáo hồ sơ vụ việc*) and of its notes file, Vietnamese and English, with
named placeholders (no Qt: the report's content is made on the export's thread; the UI only lays it out)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Word(StrEnum):
    TITLE = "title"
    SUBTITLE = "subtitle"
    SUMMARY = "summary"
    NUMBER = "number"
    NAME = "name"
    KIND = "kind"
    STATUS = "status"
    PLACE = "place"
    POINT = "point"
    POINT_VALUE = "point_value"
    TIME = "time"
    TIME_RANGE = "time_range"
    OFFICERS = "officers"
    OPENED = "opened"
    OPENED_VALUE = "opened_value"
    EXPORTED_AT = "exported_at"
    EXPORTED_BY = "exported_by"
    FINGERPRINT = "fingerprint"
    CONTENTS = "contents"
    CONTENTS_VALUE = "contents_value"
    TIMELINE = "timeline"
    COL_TIME = "col_time"
    COL_WHO = "col_who"
    COL_WHAT = "col_what"
    EVENT_OPENED = "event_opened"
    EVENT_NOTE = "event_note"
    EVENT_LINK = "event_link"
    FILES = "files"
    COL_NUMBER = "col_number"
    COL_FILE = "col_file"
    COL_ABOUT = "col_about"
    COL_SIZE = "col_size"
    COL_HASH = "col_hash"
    KIND_ALERT = "kind_alert"
    KIND_RECORDING = "kind_recording"
    KIND_SNAPSHOT = "kind_snapshot"
    KIND_VIDEO = "kind_video"
    KIND_PLATE = "kind_plate"
    ITEM_ALERT = "item_alert"
    ITEM_RECORDING = "item_recording"
    ITEM_CLIP = "item_clip"
    ITEM_SIDECAR = "item_sidecar"
    ITEM_VIDEO = "item_video"
    ITEM_ORIGINAL = "item_original"
    ITEM_SNAPSHOT = "item_snapshot"
    ITEM_PICTURE = "item_picture"
    ITEM_PLATE = "item_plate"
    ITEM_PLATE_PICTURE = "item_plate_picture"
    ITEM_NOTES = "item_notes"
    ABSENT = "absent"
    ABSENT_RECORDING = "absent_recording"
    ABSENT_PICTURE = "absent_picture"
    MAP_HEADING = "map_heading"
    MAP_CAPTION = "map_caption"
    MAP_FROM_POINT = "map_from_point"
    MAP_FROM_CAMERA = "map_from_camera"
    MAP_FROM_SITE = "map_from_site"
    MAP_FROM_VIDEO = "map_from_video"
    NO_MAP_DATA = "no_map_data"
    NO_MAP_PLACE = "no_map_place"
    VERIFY = "verify"
    HEAD_OF_UNIT = "head_of_unit"
    NOTES_HEADING = "notes_heading"
    NOTE_LINE = "note_line"
    NO_NOTES = "no_notes"


_TEMPLATES: dict[Word, tuple[str, str]] = {
    Word.TITLE: ("Báo cáo hồ sơ vụ việc", "Case file report"),
    Word.SUBTITLE: ("Vụ việc số {number}: {title}", "Incident no. {number}: {title}"),
    Word.SUMMARY: ("I. Tóm tắt vụ việc", "I. Summary"),
    Word.NUMBER: ("Số vụ việc", "Incident number"),
    Word.NAME: ("Tên vụ việc", "Title"),
    Word.KIND: ("Loại vụ việc", "Kind"),
    Word.STATUS: ("Trạng thái", "Status"),
    Word.PLACE: ("Địa điểm", "Place"),
    Word.POINT: ("Tọa độ (WGS 84)", "Coordinates (WGS 84)"),
    Word.POINT_VALUE: ("vĩ độ {lat}, kinh độ {lon}", "latitude {lat}, longitude {lon}"),
    Word.TIME: ("Thời gian xảy ra (UTC+7)", "Time of the facts (UTC+7)"),
    Word.TIME_RANGE: ("từ {start} đến {end}", "{start} to {end}"),
    Word.OFFICERS: ("Cán bộ xử lý", "Officers in charge"),
    Word.OPENED: ("Mở vụ việc", "Opened"),
    Word.OPENED_VALUE: ("{time}, bởi {officer}", "{time}, by {officer}"),
    Word.EXPORTED_AT: ("Xuất hồ sơ lúc (UTC+7)", "Exported at (UTC+7)"),
    Word.EXPORTED_BY: ("Người xuất hồ sơ", "Exported by"),
    Word.FINGERPRINT: ("Dấu vân tay khóa ký của trạm", "Station key fingerprint"),
    Word.CONTENTS: ("Nội dung hồ sơ", "Contents"),
    Word.CONTENTS_VALUE: (
        "{clips} đoạn video trích xuất, {videos} video do người dân cung cấp, {pictures} ảnh, {notes} ghi chú",
        "{clips} exported clips, {videos} citizens' videos, {pictures} pictures, {notes} notes",
    ),
    Word.TIMELINE: ("II. Diễn biến (ghi chú và liên kết theo thời gian)", "II. Timeline (notes and links in order)"),
    Word.COL_TIME: ("Thời gian", "Time"),
    Word.COL_WHO: ("Người thực hiện", "By"),
    Word.COL_WHAT: ("Nội dung", "What"),
    Word.EVENT_OPENED: ("Mở vụ việc: {title}", "Incident opened: {title}"),
    Word.EVENT_NOTE: ("Ghi chú: {text}", "Note: {text}"),
    Word.EVENT_LINK: ("Liên kết {kind}: {item}", "Linked {kind}: {item}"),
    Word.FILES: ("III. Danh mục tệp trong hồ sơ", "III. Files in the case file"),
    Word.COL_NUMBER: ("STT", "No."),
    Word.COL_FILE: ("Tệp", "File"),
    Word.COL_ABOUT: ("Mô tả", "Description"),
    Word.COL_SIZE: ("Dung lượng (byte)", "Size (bytes)"),
    Word.COL_HASH: ("Mã băm SHA-256", "SHA-256"),
    Word.KIND_ALERT: ("cảnh báo", "alert"),
    Word.KIND_RECORDING: ("ghi hình", "recording"),
    Word.KIND_SNAPSHOT: ("ảnh chụp", "snapshot"),
    Word.KIND_VIDEO: ("video do người dân cung cấp", "citizen's video"),
    Word.KIND_PLATE: ("biển số", "plate"),
    Word.ITEM_ALERT: ("Cảnh báo số {alert}", "Alert no. {alert}"),
    Word.ITEM_RECORDING: ("Camera {camera}, từ {start} đến {end}", "Camera {camera}, {start} to {end}"),
    Word.ITEM_CLIP: (
        "Đoạn video camera {camera}, từ {start} đến {end} (sao chép nguyên luồng, ảnh đầu tiên lúc {first})",
        "Clip of camera {camera}, {start} to {end} (stream copy, first picture at {first})",
    ),
    Word.ITEM_SIDECAR: ("Mã băm SHA-256 của {file}", "SHA-256 of {file}"),
    Word.ITEM_VIDEO: ("{file} do {name} cung cấp ({channel})", "{file} provided by {name} ({channel})"),
    Word.ITEM_ORIGINAL: (
        "Video gốc {file} do {name} cung cấp ({channel}), tiếp nhận lúc {time} bởi {officer}",
        "Original video {file} provided by {name} ({channel}), received at {time} by {officer}",
    ),
    Word.ITEM_SNAPSHOT: ("Ảnh chụp camera {camera} lúc {time}", "Picture of camera {camera} at {time}"),
    Word.ITEM_PICTURE: ("Ảnh {file}", "Picture {file}"),
    Word.ITEM_PLATE: ("Biển số {plate}", "Plate {plate}"),
    Word.ITEM_PLATE_PICTURE: ("Ảnh biển số {plate}", "Picture of the plate {plate}"),
    Word.ITEM_NOTES: ("Các ghi chú của vụ việc ({count})", "The incident's notes ({count})"),
    Word.ABSENT: ("Mục đã liên kết nhưng không có trong hồ sơ", "Linked items not in the case file"),
    Word.ABSENT_RECORDING: (
        "Camera {camera}, từ {start} đến {end}: không có ghi hình trong khoảng này (có thể đã quá thời gian lưu "
        "trữ)",
        "Camera {camera}, {start} to {end}: nothing recorded in this range (the retention may have removed it)",
    ),
    Word.ABSENT_PICTURE: ("Ảnh {file}: tệp không còn trên máy trạm", "Picture {file}: the file is no longer on "
                                                                      "the station"),
    Word.MAP_HEADING: ("Sơ đồ vị trí vụ việc", "Map of the incident's place"),
    Word.MAP_CAPTION: (
        "Chấm đỏ: vị trí vụ việc ({source}), {point}. Ảnh trích từ bản đồ ngoại tuyến của trạm; thước tỷ lệ ở góc "
        "dưới bên trái.",
        "Red dot: the incident's place ({source}), {point}. Taken from the station's offline map; the scale bar is "
        "in the lower left corner.",
    ),
    Word.MAP_FROM_POINT: ("điểm đánh dấu trên bản đồ", "the point marked on the map"),
    Word.MAP_FROM_CAMERA: ("vị trí camera {camera}", "the position of camera {camera}"),
    Word.MAP_FROM_SITE: ("vị trí điểm camera {site}", "the position of site {site}"),
    Word.MAP_FROM_VIDEO: ("nơi quay video {file} của người dân", "where the citizen's video {file} was recorded"),
    Word.NO_MAP_DATA: (
        "Bản đồ ngoại tuyến của trạm không có dữ liệu tại vị trí vụ việc ({source}, {point}): báo cáo không kèm ảnh "
        "bản đồ, vị trí được ghi bằng tọa độ.",
        "The station's offline map has no data at the incident's place ({source}, {point}): the report carries no "
        "map picture; the place is given as coordinates.",
    ),
    Word.NO_MAP_PLACE: (
        "Vụ việc chưa có vị trí trên bản đồ (một điểm trên bản đồ, camera hoặc điểm camera): báo cáo không kèm ảnh "
        "bản đồ.",
        "The incident has no place on the map (a point, a camera or a site): the report carries no map picture.",
    ),
    Word.VERIFY: (
        "Mọi tệp trên được ghi cùng mã băm SHA-256 trong tệp kê khai manifest.json, ký bằng khóa của trạm có dấu "
        "vân tay ở trên. Kiểm tra toàn bộ hồ sơ: python -m console.evidence verify <thư mục hồ sơ>; chỉ cần một byte "
        "của một tệp bị thay đổi, việc kiểm tra sẽ báo tệp đó.",
        "Every file above is listed with its SHA-256 in manifest.json, signed with the station key whose fingerprint "
        "is above. To check the whole case file: python -m console.evidence verify <case folder>; a single changed "
        "byte in any file is reported, naming the file.",
    ),
    Word.HEAD_OF_UNIT: ("Thủ trưởng đơn vị", "Head of unit"),
    Word.NOTES_HEADING: ("Ghi chú của vụ việc số {number}: {title}", "Notes of incident no. {number}: {title}"),
    Word.NOTE_LINE: ("{time} — {author} ghi: {text}", "{time} — {author} wrote: {text}"),
    Word.NO_NOTES: ("Vụ việc chưa có ghi chú.", "The incident has no notes."),
}


def word(key: Word, lang: str = "vi", params: Mapping[str, object] | None = None) -> str:
    vi, en = _TEMPLATES[key]
    return (en if lang == "en" else vi).format(**(params or {}))


def templates() -> dict[Word, tuple[str, str]]:
    return dict(_TEMPLATES)
