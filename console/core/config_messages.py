"""Vietnamese and English wording of every site-configuration problem (the core has no Qt translator)."""

from __future__ import annotations

import errno
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

MAX_SHOWN_CHARS = 60  # a pasted 400-digit number or a whole paragraph is cut, not printed in full


@dataclass(frozen=True)
class Phrase:
    """Words placed inside a message, in both languages: a Vietnamese sentence never carries English words."""

    vi: str
    en: str

    def in_language(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


Param = str | Phrase


class Problem(StrEnum):
    """What is wrong with one field; the value names the message template below."""

    FILE_UNREADABLE = "file_unreadable"
    TOML_SYNTAX = "toml_syntax"
    MISSING = "missing"
    WRONG_TYPE = "wrong_type"
    UNKNOWN_FIELD = "unknown_field"
    EMPTY = "empty"
    BAD_ID = "bad_id"
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_SITE = "unknown_site"
    OUT_OF_RANGE = "out_of_range"
    FAR_FROM_CENTRE = "far_from_centre"
    BAD_TIMEZONE = "bad_timezone"
    BAD_URL = "bad_url"
    PASSWORD_IN_URL = "password_in_url"
    NOT_LOOPBACK_HOST = "not_loopback_host"
    BAD_CHOICE = "bad_choice"
    UNKNOWN_CREDENTIALS = "unknown_credentials"
    NO_CAMERAS = "no_cameras"
    SITE_WITHOUT_CAMERAS = "site_without_cameras"
    TOO_MANY_CAMERAS = "too_many_cameras"
    NO_SUB_STREAM = "no_sub_stream"
    SAME_STREAMS = "same_streams"
    BAD_SCHEMA_VERSION = "bad_schema_version"
    CREDENTIALS_PERMISSIONS = "credentials_permissions"
    NOT_UTF8 = "not_utf8"
    UTF16 = "utf16"
    TOO_DEEP = "too_deep"
    NUMBER_TOO_LONG = "number_too_long"
    PASSWORD_IN_QUERY = "password_in_query"
    PLACEHOLDER_WITHOUT_CREDENTIALS = "placeholder_without_credentials"
    DUPLICATE_STREAM = "duplicate_stream"
    TOO_MANY_CAMERAS_IN_FILE = "too_many_cameras_in_file"
    CREDENTIALS_FILE_MISSING = "credentials_file_missing"
    CREDENTIALS_UNREADABLE = "credentials_unreadable"
    CREDENTIALS_SYNTAX = "credentials_syntax"
    CREDENTIALS_NOT_UTF8 = "credentials_not_utf8"
    CREDENTIALS_UTF16 = "credentials_utf16"
    CREDENTIALS_TOO_DEEP = "credentials_too_deep"
    BAD_BOUNDS = "bad_bounds"
    GEOJSON_UNREADABLE = "geojson_unreadable"
    GEOJSON_SYNTAX = "geojson_syntax"
    GEOJSON_TOO_BIG = "geojson_too_big"
    GEOJSON_NOT_COLLECTION = "geojson_not_collection"
    GEOJSON_BAD_GEOMETRY = "geojson_bad_geometry"
    GEOJSON_CLASS_GEOMETRY = "geojson_class_geometry"
    GEOJSON_BAD_COORDINATES = "geojson_bad_coordinates"
    BAD_BROKER_URL = "bad_broker_url"
    UPLINK_FILE_MISSING = "uplink_file_missing"
    UNKNOWN_RECORDER = "unknown_recorder"
    DUPLICATE_RECORDER_CHANNEL = "duplicate_recorder_channel"
    BAD_RECORDER_ZONE = "bad_recorder_zone"
    BAD_RECORDER_HOST = "bad_recorder_host"


class Note(StrEnum):
    """Sentences of the command-line tools that are not a problem of one field."""

    CHECK_VALID = "check_valid"
    CHECK_ERRORS = "check_errors"
    IMPORT_NO_SITE = "import_no_site"
    IMPORT_NO_STORE = "import_no_store"
    IMPORT_DONE = "import_done"
    IMPORT_STILL_MISSING = "import_still_missing"


_TEMPLATES: dict[Problem, tuple[str, str]] = {
    Problem.FILE_UNREADABLE: (
        "Không đọc được tệp: {reason}",
        "Cannot read the file: {reason}",
    ),
    Problem.NOT_UTF8: (
        "Tệp không phải mã UTF-8 (có thể là {guess}) ở dòng {line}, cột {column}: hãy lưu lại tệp với mã hoá UTF-8",
        "The file is not UTF-8 (perhaps {guess}) at line {line}, column {column}: save it again as UTF-8",
    ),
    Problem.UTF16: (
        "Tệp được lưu dạng UTF-16; cần UTF-8: trong Notepad chọn Lưu thành, mục Mã hoá chọn UTF-8",
        "The file is saved as UTF-16; UTF-8 is expected: in Notepad use Save As and choose the UTF-8 encoding",
    ),
    Problem.TOO_DEEP: (
        "Mảng hoặc bảng lồng nhau quá {limit} tầng ở dòng {line}, cột {column}: "
        "tệp cấu hình không cần lồng sâu như vậy",
        "Arrays or tables are nested more than {limit} deep at line {line}, column {column}: "
        "a site file never needs that",
    ),
    Problem.NUMBER_TOO_LONG: (
        "Số ở dòng {line}, cột {column} dài hơn {limit} chữ số",
        "The number at line {line}, column {column} has more than {limit} digits",
    ),
    Problem.TOML_SYNTAX: (
        "Lỗi cú pháp TOML ở dòng {line}, cột {column}: {reason}",
        "TOML syntax error at line {line}, column {column}: {reason}",
    ),
    Problem.MISSING: ("Thiếu trường bắt buộc; cần {expected}", "Required field is missing; expected {expected}"),
    Problem.WRONG_TYPE: (
        "Sai kiểu dữ liệu: cần {expected}, nhận được {got}",
        "Wrong type: expected {expected}, got {got}",
    ),
    Problem.UNKNOWN_FIELD: (
        "Trường không được hỗ trợ (gõ sai tên?); các trường hợp lệ: {allowed}",
        "Unknown field (a typo?); valid fields: {allowed}",
    ),
    Problem.EMPTY: ("Không được để trống", "Must not be empty"),
    Problem.BAD_ID: (
        "Mã \"{value}\" không hợp lệ: chỉ dùng chữ không dấu, số, '-' hoặc '_', tối đa 32 ký tự",
        "Id \"{value}\" is invalid: use ASCII letters, digits, '-' or '_', at most 32 characters",
    ),
    Problem.DUPLICATE_ID: (
        "Mã \"{value}\" bị trùng (đã dùng ở {first})",
        "Id \"{value}\" is duplicated (already used at {first})",
    ),
    Problem.UNKNOWN_SITE: (
        "Điểm \"{value}\" không có trong danh sách điểm; các điểm đã khai báo: {known}",
        "Site \"{value}\" is not declared; declared sites: {known}",
    ),
    Problem.OUT_OF_RANGE: (
        "Giá trị {value} nằm ngoài khoảng cho phép {low} … {high}",
        "Value {value} is outside the allowed range {low} … {high}",
    ),
    Problem.FAR_FROM_CENTRE: (
        "Toạ độ cách trung tâm xã {km} km (tối đa {limit} km): có nhầm vĩ độ và kinh độ không?",
        "Position is {km} km from the commune centre (at most {limit} km): are lat and lon swapped?",
    ),
    Problem.BAD_TIMEZONE: (
        "Múi giờ \"{value}\" không được hỗ trợ; dùng một trong: {allowed}",
        "Time zone \"{value}\" is not supported; use one of: {allowed}",
    ),
    Problem.BAD_URL: (
        "Địa chỉ luồng \"{value}\" không hợp lệ: {reason}; cần dạng rtsp://máy:cổng/đường-dẫn",
        "Stream address \"{value}\" is invalid: {reason}; expected rtsp://host:port/path",
    ),
    Problem.PASSWORD_IN_URL: (
        "Địa chỉ luồng \"{value}\" chứa mật khẩu: hãy xoá khỏi tệp cấu hình và khai báo trong kho mật khẩu",
        "Stream address \"{value}\" holds a password: remove it and put it in the credentials store",
    ),
    Problem.PASSWORD_IN_QUERY: (
        "Địa chỉ luồng \"{value}\" chứa mật khẩu ở tham số \"{param}\": khai báo mật khẩu trong kho mật khẩu, "
        "ghi {param}={{password}} vào địa chỉ và đặt credentials cho camera",
        "Stream address \"{value}\" holds a password in \"{param}\": put the password in the credentials store, "
        "write {param}={{password}} in the address and set the camera's credentials",
    ),
    Problem.PLACEHOLDER_WITHOUT_CREDENTIALS: (
        "Địa chỉ luồng \"{value}\" có chỗ điền {{user}} hoặc {{password}} nhưng camera chưa khai báo credentials",
        "Stream address \"{value}\" has a {{user}} or {{password}} placeholder but the camera names no credentials",
    ),
    Problem.DUPLICATE_STREAM: (
        "Địa chỉ luồng \"{value}\" trùng với {other}: hai camera sẽ hiện cùng một hình",
        "Stream address \"{value}\" is the same as {other}: two cameras would show the same picture",
    ),
    Problem.NOT_LOOPBACK_HOST: (
        "Chế độ mô phỏng chỉ phục vụ trên 127.0.0.1, địa chỉ \"{value}\" không phải máy này",
        "The simulator serves on 127.0.0.1 only; \"{value}\" is not this machine",
    ),
    Problem.BAD_CHOICE: (
        "Giá trị \"{value}\" không hợp lệ; chọn một trong: {allowed}",
        "Value \"{value}\" is not valid; choose one of: {allowed}",
    ),
    Problem.UNKNOWN_CREDENTIALS: (
        "Không tìm thấy tài khoản \"{value}\" trong kho mật khẩu {store}",
        "Credentials \"{value}\" are not in the credentials store {store}",
    ),
    Problem.NO_CAMERAS: ("Cấu hình chưa có camera nào", "The configuration has no camera"),
    Problem.SITE_WITHOUT_CAMERAS: ("Điểm chưa có camera nào", "The site has no camera"),
    Problem.TOO_MANY_CAMERAS_IN_FILE: (
        "Tệp có {count} camera, quá giới hạn {limit} camera của một tệp (một xã không có nhiều như vậy): "
        "có đoạn nào bị dán lặp lại không? Chỉ kiểm tra {limit} camera đầu",
        "The file has {count} cameras, more than the limit of {limit} per file (no commune has that many): "
        "was a block pasted repeatedly? Only the first {limit} cameras were checked",
    ),
    Problem.TOO_MANY_CAMERAS: (
        "Điểm có {count} camera, nhiều hơn {limit} thường gặp: kiểm tra lại mã điểm của các camera",
        "The site has {count} cameras, more than the usual {limit}: check the cameras' site ids",
    ),
    Problem.NO_SUB_STREAM: (
        "Chưa khai báo luồng phụ: ô nhỏ sẽ phải giải mã luồng chính (tốn CPU)",
        "No sub stream: small tiles will decode the main stream (costly)",
    ),
    Problem.SAME_STREAMS: (
        "Luồng phụ trùng luồng chính",
        "The sub stream is the same as the main stream",
    ),
    Problem.BAD_SCHEMA_VERSION: (
        "Phiên bản cấu hình {value} không được hỗ trợ; phần mềm này đọc phiên bản {supported}",
        "Configuration version {value} is not supported; this software reads version {supported}",
    ),
    Problem.CREDENTIALS_PERMISSIONS: (
        "Kho mật khẩu {store} có quyền {mode}: người khác đọc được; chạy: chmod 600 {store}",
        "Credentials store {store} has mode {mode}: readable by others; run: chmod 600 {store}",
    ),
    Problem.CREDENTIALS_FILE_MISSING: (
        "Không tìm thấy kho mật khẩu {store}: nhập mật khẩu bằng lệnh camera-console --import-credentials TỆP",
        "The credentials store {store} does not exist: import the passwords with camera-console "
        "--import-credentials FILE",
    ),
    Problem.CREDENTIALS_UNREADABLE: (
        "Không đọc được kho mật khẩu {store}: {reason}",
        "Cannot read the credentials store {store}: {reason}",
    ),
    Problem.CREDENTIALS_SYNTAX: (
        "Kho mật khẩu {store} có lỗi cú pháp TOML ở dòng {line}, cột {column}: {reason}",
        "The credentials store {store} has a TOML syntax error at line {line}, column {column}: {reason}",
    ),
    Problem.CREDENTIALS_NOT_UTF8: (
        "Kho mật khẩu {store} không phải mã UTF-8 (có thể là {guess}) ở dòng {line}, cột {column}: "
        "hãy lưu lại tệp với mã hoá UTF-8",
        "The credentials store {store} is not UTF-8 (perhaps {guess}) at line {line}, column {column}: "
        "save it again as UTF-8",
    ),
    Problem.CREDENTIALS_UTF16: (
        "Kho mật khẩu {store} được lưu dạng UTF-16; cần UTF-8: trong Notepad chọn Lưu thành, mục Mã hoá chọn UTF-8",
        "The credentials store {store} is saved as UTF-16; UTF-8 is expected: in Notepad use Save As and choose "
        "the UTF-8 encoding",
    ),
    Problem.CREDENTIALS_TOO_DEEP: (
        "Kho mật khẩu {store} có mảng hoặc bảng lồng nhau quá {limit} tầng ở dòng {line}, cột {column}",
        "The credentials store {store} nests arrays or tables more than {limit} deep at line {line}, column {column}",
    ),
    Problem.BAD_BOUNDS: (
        "Khung ảnh không hợp lệ: cần west nhỏ hơn east và south nhỏ hơn north (đang là {value})",
        "The image frame is invalid: west must be less than east and south less than north (now {value})",
    ),
    Problem.GEOJSON_UNREADABLE: (
        "Không đọc được tệp sơ đồ: {reason}",
        "Cannot read the map file: {reason}",
    ),
    Problem.GEOJSON_SYNTAX: (
        "Tệp sơ đồ có lỗi cú pháp JSON ở dòng {line}, cột {column}",
        "The map file has a JSON syntax error at line {line}, column {column}",
    ),
    Problem.GEOJSON_TOO_BIG: (
        "Tệp sơ đồ quá lớn ({size}, tối đa {limit}): sơ đồ vector của một xã chỉ vài trăm kB",
        "The map file is too large ({size}, at most {limit}): a commune's vector map is a few hundred kB",
    ),
    Problem.GEOJSON_NOT_COLLECTION: (
        "Tệp sơ đồ không phải GeoJSON FeatureCollection (cần \"type\": \"FeatureCollection\" "
        "và mảng \"features\")",
        "The map file is not a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\" and a "
        "\"features\" array are expected)",
    ),
    Problem.GEOJSON_BAD_GEOMETRY: (
        "Kiểu hình học \"{value}\" không được hỗ trợ; dùng một trong: {allowed}",
        "Geometry type \"{value}\" is not supported; use one of: {allowed}",
    ),
    Problem.GEOJSON_CLASS_GEOMETRY: (
        "Lớp \"{cls}\" cần hình học {allowed}, không dùng được {value}",
        "Class \"{cls}\" needs a {allowed} geometry, not {value}",
    ),
    Problem.GEOJSON_BAD_COORDINATES: (
        "Toạ độ không hợp lệ: {reason}",
        "Invalid coordinates: {reason}",
    ),
    Problem.BAD_BROKER_URL: (
        "Địa chỉ máy chủ tỉnh \"{value}\" không hợp lệ: {reason}; cần dạng mqtts://máy:cổng",
        "Province broker address \"{value}\" is invalid: {reason}; expected mqtts://host:port",
    ),
    Problem.UPLINK_FILE_MISSING: (
        "Không tìm thấy tệp {value}: chưa kết nối được về tỉnh cho đến khi có tệp này",
        "The file {value} does not exist: the province uplink cannot connect until it is there",
    ),
    Problem.UNKNOWN_RECORDER: (
        "Đầu ghi \"{value}\" không có trong danh sách [[recorders]]; các đầu ghi đã khai báo: {known}",
        "Recorder \"{value}\" is not declared in [[recorders]]; declared recorders: {known}",
    ),
    Problem.DUPLICATE_RECORDER_CHANNEL: (
        "Kênh {channel} của đầu ghi \"{recorder}\" đã dùng cho {other}: mỗi kênh của đầu ghi chỉ là một camera",
        "Channel {channel} of recorder \"{recorder}\" is already used by {other}: each recorder channel is one camera",
    ),
    Problem.BAD_RECORDER_ZONE: (
        "Múi giờ \"{value}\" không hợp lệ: cần dạng +07:00 (giờ của đầu ghi so với UTC, từ -12:00 đến +14:00, "
        "theo bước 15 phút); bỏ trường này để đọc múi giờ từ đầu ghi",
        "Time zone \"{value}\" is invalid: expected the form +07:00 (the recorder's time against UTC, -12:00 to "
        "+14:00, in steps of 15 minutes); leave the field out to read the zone from the recorder",
    ),
    Problem.BAD_RECORDER_HOST: (
        "Địa chỉ đầu ghi \"{value}\" không hợp lệ: chỉ ghi tên máy hoặc địa chỉ IP (ví dụ 192.168.1.250), không "
        "ghi http://, cổng hay đường dẫn; cổng khai báo ở http_port và rtsp_port",
        "Recorder address \"{value}\" is invalid: write only the host name or IP address (e.g. 192.168.1.250), "
        "without http://, a port or a path; the ports go in http_port and rtsp_port",
    ),
}

_NOTES: dict[Note, tuple[str, str]] = {
    Note.CHECK_VALID: ("{path}: tệp cấu hình hợp lệ", "{path}: the configuration is valid"),
    Note.CHECK_ERRORS: ("{path}: có {count} lỗi", "{path}: {count} errors"),
    Note.IMPORT_NO_SITE: (
        "không đọc được cấu hình {site}: {reason}",
        "cannot read the site configuration {site}: {reason}",
    ),
    Note.IMPORT_NO_STORE: (
        "cấu hình {site} không khai báo credentials_file (kho mật khẩu)",
        "the site configuration {site} names no credentials_file",
    ),
    Note.IMPORT_DONE: (
        "Đã nhập {count} mục vào {store}: {refs}",
        "{count} entries imported into {store}: {refs}",
    ),
    Note.IMPORT_STILL_MISSING: (
        "Các camera còn thiếu mật khẩu: {refs}",
        "Credentials still missing: {refs}",
    ),
}


def render(problem: Problem | Note, lang: str, params: Mapping[str, Param]) -> str:
    """The sentence for a problem (or a note) in 'vi' or 'en' with its named fields filled in."""
    vi, en = _TEMPLATES[problem] if isinstance(problem, Problem) else _NOTES[problem]
    values = {k: v.in_language(lang) if isinstance(v, Phrase) else v for k, v in params.items()}
    return (en if lang == "en" else vi).format(**values)


def templates() -> dict[Problem | Note, tuple[str, str]]:
    """All templates, for the test that both languages carry the same placeholders."""
    both: dict[Problem | Note, tuple[str, str]] = {}
    both.update(_TEMPLATES.items())
    both.update(_NOTES.items())
    return both


_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def visible(text: str) -> str:
    """Text with invisible and control characters written out (U+200B as `\\u200b`), so an officer can see
    why two ids that look the same differ."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category in _INVISIBLE or (category == "Zs" and char != " "):
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def shown(value: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """A value from the file as it goes into a message: invisible characters visible, long text cut."""
    text = visible(str(value))
    return text if len(text) <= limit else text[:limit] + "…"


# Python's own words for what it expected, in both languages.
TYPE_NAMES: dict[str, Phrase] = {
    "str": Phrase("văn bản", "text"),
    "int": Phrase("số nguyên", "integer"),
    "float": Phrase("số", "number"),
    "bool": Phrase("true/false", "true/false"),
    "list": Phrase("mảng [ ]", "array [ ]"),
    "dict": Phrase("bảng", "table"),
    "datetime": Phrase("ngày giờ", "date-time"),
    "date": Phrase("ngày", "date"),
    "time": Phrase("giờ", "time"),
}
EXPECT_TEXT = TYPE_NAMES["str"]
EXPECT_TABLE = TYPE_NAMES["dict"]
EXPECT_BOOL = TYPE_NAMES["bool"]
EXPECT_NUMBER = TYPE_NAMES["float"]


def type_name(value: object) -> Phrase:
    name = type(value).__name__
    return TYPE_NAMES.get(name, Phrase(name, name))


def _number(value: float) -> str:
    return f"{value:g}"


def expect_number(low: float, high: float) -> Phrase:
    return Phrase(f"một số từ {_number(low)} đến {_number(high)}", f"a number from {_number(low)} to {_number(high)}")


def expect_table(name: str) -> Phrase:
    return Phrase(f"bảng [{name}]", f"a table [{name}]")


def expect_tables(name: str) -> Phrase:
    return Phrase(f"các bảng [[{name}]]", f"[[{name}]] tables")


EXPECT_IMAGE_BOUNDS = Phrase("{ west, south, east, north } của ảnh", "{ west, south, east, north } of the image")
EXPECT_FILE_LIST = Phrase("mảng tên tệp [\"a.geojson\", …]", "an array of file names [\"a.geojson\", …]")
EXPECT_TEXT_LIST = Phrase("mảng chuỗi [\"motion\", …]", "an array of strings [\"motion\", …]")
EXPECT_FEATURE = Phrase("đối tượng GeoJSON Feature", "a GeoJSON Feature object")
EXPECT_GEOMETRY = Phrase("đối tượng hình học GeoJSON", "a GeoJSON geometry object")
EXPECT_PROPERTIES = Phrase("bảng thuộc tính { }", "a { } properties object")

# Why a GeoJSON position list is unusable (core/vector_map).
COORD_NOT_PAIR = Phrase("mỗi điểm cần [kinh độ, vĩ độ] là hai số",
                        "each position must be [longitude, latitude] numbers")
COORD_OUT_OF_RANGE = Phrase("kinh độ phải từ -180 đến 180 và vĩ độ từ -90 đến 90",
                            "longitude must be within -180…180 and latitude within -90…90")
COORD_SHORT_LINE = Phrase("một đường cần ít nhất 2 điểm", "a line needs at least 2 positions")
COORD_OPEN_RING = Phrase("một vùng cần ít nhất 4 điểm, điểm cuối trùng điểm đầu",
                         "a polygon ring needs at least 4 positions, the last equal to the first")
COORD_TOO_MANY = Phrase("quá nhiều điểm cho sơ đồ một xã", "too many positions for a commune's map")
COORD_NOT_LIST = Phrase("cần một mảng toạ độ", "an array of positions is expected")

def url_not_rtsp(scheme: str) -> Phrase:
    """The reason for an address that is not rtsp:// (http://, a bare IP …)."""
    return Phrase(f"giao thức \"{scheme}\" không phải rtsp", f"the scheme \"{scheme}\" is not rtsp")


# Why an address is unusable (config.check_stream_url): never a library's own sentence, which may quote it.
URL_NO_HOST = Phrase("thiếu tên máy hoặc địa chỉ IP", "the host is missing")
URL_BAD_PORT = Phrase("cổng không hợp lệ (cần số từ 1 đến 65535)", "the port is invalid (1 to 65535 expected)")
URL_SPACES = Phrase("có dấu cách hoặc ký tự điều khiển", "it contains spaces or control characters")
URL_UNPARSABLE = Phrase("không phân tích được địa chỉ", "the address cannot be parsed")

# tomllib's reasons (Python 3.11), by the start of its message; its words may quote the file (a password).
_TOML_REASONS: tuple[tuple[str, Phrase], ...] = (
    ("Invalid statement", Phrase("dòng này không phải câu lệnh TOML hợp lệ", "this is not a valid TOML statement")),
    ("Expected newline", Phrase("sau một câu lệnh phải xuống dòng", "a statement must end the line")),
    ("Expected '=' after a key", Phrase("thiếu dấu '=' sau tên trường", "'=' is missing after the key")),
    ("Expected ']' at the end of a table", Phrase("thiếu ']' sau tên bảng", "']' is missing after the table name")),
    ("Expected ']]' at the end", Phrase("thiếu ']]' sau tên mảng bảng", "']]' is missing after the array name")),
    ("Expected ", Phrase("thiếu dấu đóng", "a closing character is missing")),
    ("Found invalid character", Phrase("có ký tự không được phép", "a character is not allowed here")),
    ("Cannot declare", Phrase("bảng được khai báo hai lần", "the table is declared twice")),
    ("Cannot overwrite a value", Phrase("một trường được khai báo hai lần", "a key is set twice")),
    ("Cannot mutate immutable namespace", Phrase("không được thêm trường vào bảng đã viết xong",
                                                 "a finished table cannot be extended")),
    ("Cannot redefine namespace", Phrase("không được khai báo lại bảng", "a table cannot be declared again")),
    ("Invalid initial character for a key", Phrase("tên trường bắt đầu bằng ký tự không hợp lệ",
                                                   "the key starts with an invalid character")),
    ("Unclosed array", Phrase("mảng chưa có dấu đóng ']'", "the array has no closing ']'")),
    ("Duplicate inline table key", Phrase("trùng tên trường trong bảng { }", "a key is repeated in the { } table")),
    ("Unclosed inline table", Phrase("bảng { } chưa có dấu đóng '}'", "the { } table has no closing '}'")),
    ("Unescaped '\\'", Phrase("dấu '\\' trong chuỗi phải viết thành '\\\\' (hoặc dùng '/' trong đường dẫn)",
                          "a '\\' in a string must be written '\\\\' (or use '/' in paths)")),
    ("Invalid hex value", Phrase("mã Unicode sau '\\u' không hợp lệ", "the Unicode escape is invalid")),
    ("Escaped character is not", Phrase("mã Unicode sau '\\u' không hợp lệ", "the Unicode escape is invalid")),
    ("Unterminated string", Phrase("chuỗi chưa có dấu ngoặc kép đóng", "the string has no closing quote")),
    ("Illegal character '\\n'", Phrase("chuỗi chưa có dấu ngoặc kép đóng trên dòng này",
                                       "the string has no closing quote on this line")),
    ("Illegal character", Phrase("chuỗi có ký tự điều khiển không được phép", "the string holds a control character")),
    ("Invalid date or datetime", Phrase("ngày giờ không hợp lệ", "the date or time is invalid")),
    ("Invalid value", Phrase("giá trị không hợp lệ (chuỗi phải nằm trong dấu ngoặc kép)",
                             "the value is invalid (text must be in double quotes)")),
)
_TOML_UNKNOWN = Phrase("cú pháp không hợp lệ", "invalid syntax")


def toml_reason(parser_message: str) -> Phrase:
    """Our words for a TOML parser message (the parser's own text is never shown)."""
    return next((p for prefix, p in _TOML_REASONS if parser_message.startswith(prefix)), _TOML_UNKNOWN)


_OS_REASONS = {
    errno.ENOENT: Phrase("tệp không tồn tại", "the file does not exist"),
    errno.EACCES: Phrase("không có quyền đọc", "permission denied"),
    errno.EPERM: Phrase("không có quyền đọc", "permission denied"),
    errno.EISDIR: Phrase("đây là một thư mục, không phải tệp", "it is a folder, not a file"),
}


def os_reason(exc: OSError) -> Phrase:
    """Why the operating system refused a file, in both languages (its own text is English only)."""
    known = _OS_REASONS.get(exc.errno or 0)
    if known is not None:
        return known
    code = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return Phrase(f"lỗi hệ điều hành {code}", f"operating system error {code}")
