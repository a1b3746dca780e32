"""Vietnamese and English wording of what the recorder (NVR) adapters tell a person: one sentence per failure, the
operation named in the officer's words, the event channel's states."""

from __future__ import annotations

from enum import StrEnum

from console.core.sentences import Sentences


class Say(StrEnum):
    AUTH = "auth"
    FORBIDDEN = "forbidden"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"
    NOT_FOUND = "not_found"
    NO_DATA = "no_data"
    CANCELLED = "cancelled"
    DEVICE = "device"
    EVENTS_SILENT = "events_silent"
    NO_CHANNELS = "no_channels"
    TIME_MODE_DIFFERS = "time_mode_differs"


class Operation(StrEnum):
    DEVICE_INFO = "device_info"
    CHANNELS = "channels"
    SEARCH = "search"
    CALENDAR = "calendar"
    DOWNLOAD = "download"
    CLOCK = "clock"
    EVENTS = "events"


_TEMPLATES: dict[Say, tuple[str, str]] = {
    Say.AUTH: (
        "Đầu ghi {address} từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu.",
        "Recorder {address} refused the login: wrong user name or password.",
    ),
    Say.FORBIDDEN: (
        "Đầu ghi {address} không cho phép {operation}: tài khoản này không có quyền (HTTP 403). Hãy dùng tài khoản "
        "có quyền xem lại hoặc nhờ người quản trị đầu ghi cấp quyền.",
        "Recorder {address} does not allow {operation}: this account lacks the permission (HTTP 403). Use an account "
        "with playback rights or ask the recorder's administrator to grant them.",
    ),
    Say.UNREACHABLE: (
        "Không kết nối được tới đầu ghi {address}: không có dịch vụ nào trả lời (sai địa chỉ, sai cổng, đầu ghi tắt "
        "hoặc mạng không thông).",
        "Cannot reach the recorder at {address}: nothing answers there (wrong address or port, recorder off, or no "
        "network).",
    ),
    Say.TIMEOUT: (
        "Đầu ghi {address} không trả lời khi {operation} trong {seconds} giây.",
        "Recorder {address} did not answer while {operation} within {seconds} seconds.",
    ),
    Say.MALFORMED: (
        "Đầu ghi {address} trả lời khi {operation} bằng dữ liệu hỏng, không đọc được (XML, JSON hoặc văn bản sai "
        "dạng).",
        "Recorder {address} answered while {operation} with broken data that cannot be read (malformed XML, JSON or "
        "text).",
    ),
    Say.NOT_FOUND: (
        "{address} không có chức năng {operation} (HTTP 404): có thể đây không phải đầu ghi {vendor} hoặc sai cổng "
        "HTTP.",
        "{address} cannot do {operation} (HTTP 404): it may not be a {vendor} recorder, or the HTTP port is wrong.",
    ),
    Say.NO_DATA: (
        "Đầu ghi {address} có liệt kê đoạn ghi này nhưng không có dữ liệu video cho nó.",
        "Recorder {address} lists this recording but has no video for it.",
    ),
    Say.CANCELLED: (
        "Đã hủy tải đoạn video từ đầu ghi {address}.",
        "Downloading the clip from recorder {address} was cancelled.",
    ),
    Say.DEVICE: (
        "Đầu ghi {address} báo lỗi khi {operation} (HTTP {status}).",
        "Recorder {address} reported an error while {operation} (HTTP {status}).",
    ),
    Say.EVENTS_SILENT: (
        "Kênh sự kiện của đầu ghi {address} im lặng quá {seconds} giây (không cả tín hiệu duy trì): đang kết nối lại.",
        "The event channel of recorder {address} has been silent for over {seconds} seconds (not even a heartbeat): "
        "reconnecting.",
    ),
    Say.NO_CHANNELS: (
        "Đầu ghi {address} không có kênh nào: chưa có camera nào được gắn vào đầu ghi, nên không có gì để thêm.",
        "Recorder {address} has no channels: no camera is connected to it, so there is nothing to add.",
    ),
    Say.TIME_MODE_DIFFERS: (
        "Đầu ghi {recorder} ({address}): tệp cấu hình ghi time_zone_mode = \"{stated}\" nhưng đồng hồ và bản ghi "
        "của đầu ghi cho thấy \"{detected}\". Phần mềm vẫn dùng \"{stated}\" theo tệp cấu hình; nếu giờ của các "
        "bản ghi bị lệch, hãy sửa time_zone_mode của đầu ghi này trong tệp cấu hình.",
        "Recorder {recorder} ({address}): the site file states time_zone_mode = \"{stated}\" but the recorder's "
        "clock and recordings point to \"{detected}\". The console keeps \"{stated}\" as the site file says; if "
        "the recordings' times are off, correct this recorder's time_zone_mode in the site file.",
    ),
}

_OPERATIONS: dict[Operation, tuple[str, str]] = {
    Operation.DEVICE_INFO: ("đọc thông tin thiết bị", "reading the device information"),
    Operation.CHANNELS: ("đọc danh sách kênh", "reading the channel list"),
    Operation.SEARCH: ("tìm kiếm bản ghi", "searching recordings"),
    Operation.CALENDAR: ("đọc lịch ghi hình", "reading the recording calendar"),
    Operation.DOWNLOAD: ("tải đoạn video", "downloading a clip"),
    Operation.CLOCK: ("đọc đồng hồ", "reading the clock"),
    Operation.EVENTS: ("nhận sự kiện", "receiving events"),
}

# The recorder's event channel, as the device tree's tooltip shows it (by ChannelState value).
CHANNEL_LABELS: dict[str, tuple[str, str]] = {
    "starting": ("Sự kiện đầu ghi: đang kết nối", "Recorder events: connecting"),
    "live": ("Sự kiện đầu ghi: đang nhận", "Recorder events: receiving"),
    "stale": ("Sự kiện đầu ghi: chậm, đang thử lại", "Recorder events: slow, retrying"),
    "lost": ("Sự kiện đầu ghi: mất kết nối", "Recorder events: lost"),
    "halted": ("Sự kiện đầu ghi: đầu ghi từ chối đăng nhập, đã dừng thử lại",
               "Recorder events: the recorder refused the login; not retried"),
    "closed": ("Sự kiện đầu ghi: tắt", "Recorder events: off"),
}


def operation_name(operation: Operation, lang: str = "vi") -> str:
    vi, en = _OPERATIONS[operation]
    return en if lang == "en" else vi


SENTENCES: Sentences[Say] = Sentences(_TEMPLATES)
render = SENTENCES.render
templates = SENTENCES.templates
