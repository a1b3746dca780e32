"""Vietnamese and English wording of what the incidents, the video intake and the case export tell an officer (no
Qt: the intake and the export run on worker threads; the UI shows `message("vi")`). Every sentence about a file
names it."""

from __future__ import annotations

from enum import StrEnum

from console.core.sentences import SaidError, Sentences


class Say(StrEnum):
    """One sentence; the value names its template below."""

    NO_INCIDENT = "no_incident"
    INCIDENT_CLOSED = "incident_closed"
    SAME_STATUS = "same_status"
    EMPTY_TITLE = "empty_title"
    EMPTY_NOTE = "empty_note"
    BAD_RANGE = "bad_range"
    BAD_POINT = "bad_point"
    EMPTY_PLATE = "empty_plate"
    ALREADY_LINKED = "already_linked"
    NO_LINK = "no_link"
    VIDEO_STAYS = "video_stays"
    NO_BRINGER = "no_bringer"
    NOT_FOUND = "not_found"
    IS_DIRECTORY = "is_directory"
    NOT_A_FILE = "not_a_file"
    UNREADABLE = "unreadable"
    EMPTY_FILE = "empty_file"
    NOT_VIDEO = "not_video"
    AUDIO_ONLY = "audio_only"
    DAMAGED = "damaged"
    TRUNCATED = "truncated"
    CHANGED_WHILE_COPYING = "changed_while_copying"
    NO_SPACE = "no_space"
    CANNOT_WRITE = "cannot_write"
    ALREADY_RECEIVED = "already_received"
    WORKING_COPY_FAILED = "working_copy_failed"
    CANCELLED = "cancelled"
    ORIGINAL_PREFERRED = "original_preferred"
    PHASE_COPY = "phase_copy"
    PHASE_VERIFY = "phase_verify"
    PHASE_PROBE = "phase_probe"
    PHASE_WORKING_COPY = "phase_working_copy"
    PHASE_SAVE = "phase_save"
    CASE_TARGET_EXISTS = "case_target_exists"
    CASE_SOURCE_MISSING = "case_source_missing"
    CASE_UNREADABLE = "case_unreadable"
    CASE_ORIGINAL_CHANGED = "case_original_changed"
    CASE_CANNOT_WRITE = "case_cannot_write"
    CASE_NO_SPACE = "case_no_space"
    CASE_CLIP_FAILED = "case_clip_failed"
    CASE_REPORT_FAILED = "case_report_failed"
    CASE_CANCELLED = "case_cancelled"
    CASE_PHASE_CLIP = "case_phase_clip"
    CASE_PHASE_ORIGINAL = "case_phase_original"
    CASE_PHASE_PICTURE = "case_phase_picture"
    CASE_PHASE_NOTES = "case_phase_notes"
    CASE_PHASE_REPORT = "case_phase_report"
    CASE_PHASE_SIGN = "case_phase_sign"


_TEMPLATES: dict[Say, tuple[str, str]] = {
    Say.NO_INCIDENT: (
        "Không tìm thấy vụ việc số {incident}.",
        "Incident {incident} was not found.",
    ),
    Say.INCIDENT_CLOSED: (
        "Vụ việc số {incident} đã đóng: hãy mở lại vụ việc trước khi thêm ghi chú, liên kết hoặc video.",
        "Incident {incident} is closed: reopen it before adding notes, links or videos.",
    ),
    Say.SAME_STATUS: (
        "Vụ việc số {incident} đã ở trạng thái {status}.",
        "Incident {incident} is already {status}.",
    ),
    Say.EMPTY_TITLE: (
        "Vụ việc cần có tên.",
        "An incident needs a title.",
    ),
    Say.EMPTY_NOTE: (
        "Ghi chú đang trống.",
        "The note is empty.",
    ),
    Say.BAD_RANGE: (
        "Thời gian kết thúc phải sau thời gian bắt đầu.",
        "The end time must be after the start time.",
    ),
    Say.BAD_POINT: (
        "Tọa độ không hợp lệ: vĩ độ {lat}, kinh độ {lon}.",
        "Invalid coordinates: latitude {lat}, longitude {lon}.",
    ),
    Say.EMPTY_PLATE: (
        "Biển số đang trống.",
        "The plate is empty.",
    ),
    Say.ALREADY_LINKED: (
        "Mục này đã được liên kết với vụ việc số {incident}.",
        "This item is already linked to incident {incident}.",
    ),
    Say.NO_LINK: (
        "Không tìm thấy liên kết số {link} trong vụ việc số {incident}.",
        "Link {link} was not found in incident {incident}.",
    ),
    Say.VIDEO_STAYS: (
        "Không gỡ được video do người dân cung cấp khỏi vụ việc số {incident}: tệp gốc là chứng cứ của vụ việc.",
        "A citizen's video cannot be removed from incident {incident}: its original is evidence of the case.",
    ),
    Say.NO_BRINGER: (
        "Cần ghi họ tên người cung cấp video.",
        "The name of the person who provided the video is required.",
    ),
    Say.NOT_FOUND: (
        "Không tìm thấy tệp {name}: có thể USB hoặc thẻ nhớ đã bị rút ra.",
        "The file {name} was not found: the USB stick or memory card may have been removed.",
    ),
    Say.IS_DIRECTORY: (
        "{name} là một thư mục, không phải tệp video: hãy chọn từng tệp video trong thư mục.",
        "{name} is a folder, not a video file: choose the video files inside it.",
    ),
    Say.NOT_A_FILE: (
        "{name} không phải tệp thông thường (thiết bị hoặc đường ống): không tiếp nhận.",
        "{name} is not a regular file (a device or a pipe): not received.",
    ),
    Say.UNREADABLE: (
        "Không đọc được tệp {name} ({reason}): USB hoặc thẻ nhớ có thể bị lỗi, bị rút ra, hoặc tệp bị khóa quyền "
        "đọc.",
        "The file {name} cannot be read ({reason}): the USB stick or memory card may be faulty or removed, or "
        "the file may not be readable.",
    ),
    Say.EMPTY_FILE: (
        "Tệp {name} rỗng (0 byte): không có gì để tiếp nhận.",
        "The file {name} is empty (0 bytes): there is nothing to receive.",
    ),
    Say.NOT_VIDEO: (
        "Tệp {name} không phải tệp video mà phần mềm đọc được: không tiếp nhận.",
        "The file {name} is not a video file this program can read: not received.",
    ),
    Say.AUDIO_ONLY: (
        "Tệp {name} chỉ có âm thanh, không có hình: không tiếp nhận như video.",
        "The file {name} holds sound only, no picture: not received as a video.",
    ),
    Say.DAMAGED: (
        "Tệp video {name} bị hỏng hoặc chưa được chép hết, không đọc được: hãy xin lại tệp gốc từ điện thoại.",
        "The video file {name} is damaged or was not copied completely and cannot be read: ask for the original "
        "file from the phone again.",
    ),
    Say.TRUNCATED: (
        "Tệp video {name} không đầy đủ: chỉ đọc được {read_s} giây trong {duration_s} giây (tệp có thể chưa được "
        "chép hết). Hãy xin lại tệp gốc từ điện thoại.",
        "The video file {name} is incomplete: only {read_s} s of {duration_s} s can be read (it may not have been "
        "copied completely). Ask for the original file from the phone again.",
    ),
    Say.CHANGED_WHILE_COPYING: (
        "Tệp {name} đã thay đổi trong lúc sao chép (mã SHA-256 không khớp): bản sao đã bị xóa. Đóng mọi chương "
        "trình đang mở tệp này rồi tiếp nhận lại.",
        "The file {name} changed while it was being copied (the SHA-256 does not match): the copy was deleted. "
        "Close every program using this file and receive it again.",
    ),
    Say.NO_SPACE: (
        "Không đủ chỗ trống để lưu tệp {name} ({size_mb} MB) vào thư mục dữ liệu {folder}.",
        "Not enough free space to keep the file {name} ({size_mb} MB) in the data folder {folder}.",
    ),
    Say.CANNOT_WRITE: (
        "Không ghi được bản sao của tệp {name} vào {folder}: {reason}.",
        "The copy of the file {name} cannot be written to {folder}: {reason}.",
    ),
    Say.ALREADY_RECEIVED: (
        "Tệp {name} đã được tiếp nhận cho vụ việc số {incident} (video số {video}, cùng mã SHA-256).",
        "The file {name} was already received for incident {incident} (video {video}, same SHA-256).",
    ),
    Say.WORKING_COPY_FAILED: (
        "Không tạo được bản xem của tệp {name}: {reason}. Không có gì được lưu.",
        "The viewing copy of the file {name} could not be made: {reason}. Nothing was kept.",
    ),
    Say.CANCELLED: (
        "Đã hủy tiếp nhận tệp {name}: không có gì được lưu.",
        "Receiving the file {name} was cancelled: nothing was kept.",
    ),
    Say.ORIGINAL_PREFERRED: (
        "Video gửi qua {channel} đã bị ứng dụng nén lại (hình kém hơn, mất thời gian và vị trí ghi trong tệp). "
        "Nên xin người cung cấp tệp gốc trong điện thoại (chép qua cáp, USB hoặc gửi dạng tệp).",
        "A video sent through {channel} was recompressed by the app (a poorer picture, the file's time and place "
        "gone). Ask the person for the original file on the phone (copied by cable or USB, or sent as a file).",
    ),
    Say.PHASE_COPY: (
        "Đang sao chép và tính mã SHA-256 của tệp {name}",
        "Copying {name} and computing its SHA-256",
    ),
    Say.PHASE_VERIFY: (
        "Đang đọc lại tệp {name} để xác nhận không bị thay đổi",
        "Reading {name} again to confirm it did not change",
    ),
    Say.PHASE_PROBE: (
        "Đang đọc thông tin video của tệp {name}",
        "Reading the video details of {name}",
    ),
    Say.PHASE_WORKING_COPY: (
        "Đang tạo bản xem của tệp {name}",
        "Making the viewing copy of {name}",
    ),
    Say.PHASE_SAVE: (
        "Đang lưu tệp {name} vào vụ việc",
        "Saving {name} to the incident",
    ),
    Say.CASE_TARGET_EXISTS: (
        "Đã có {folder}: hãy chọn nơi khác để xuất hồ sơ vụ việc.",
        "{folder} already exists: choose another place for the case file.",
    ),
    Say.CASE_SOURCE_MISSING: (
        "Không tìm thấy tệp {name} của vụ việc ({path}): tệp đã bị xóa hoặc di chuyển khỏi thư mục dữ liệu. Hồ sơ "
        "không được xuất.",
        "The incident's file {name} was not found ({path}): it was deleted or moved out of the data folder. The case "
        "file was not exported.",
    ),
    Say.CASE_UNREADABLE: (
        "Không đọc được tệp {name} của vụ việc ({reason}). Hồ sơ không được xuất.",
        "The incident's file {name} cannot be read ({reason}). The case file was not exported.",
    ),
    Say.CASE_ORIGINAL_CHANGED: (
        "Tệp gốc {name} đã thay đổi kể từ khi tiếp nhận (mã SHA-256 không khớp với biên bản tiếp nhận): hồ sơ không "
        "được xuất. Hãy báo cán bộ kỹ thuật kiểm tra máy trạm.",
        "The original {name} changed since it was received (its SHA-256 does not match the intake record): the case "
        "file was not exported. Have the technician check the station.",
    ),
    Say.CASE_CANNOT_WRITE: (
        "Không ghi được tệp {name} vào {folder}: {reason}. Hồ sơ không được xuất.",
        "The file {name} cannot be written to {folder}: {reason}. The case file was not exported.",
    ),
    Say.CASE_NO_SPACE: (
        "Không đủ chỗ trống để ghi {name} ({size_mb} MB) vào {folder}: hãy chọn ổ đĩa hoặc USB khác.",
        "Not enough free space to write {name} ({size_mb} MB) to {folder}: choose another disk or USB stick.",
    ),
    Say.CASE_CLIP_FAILED: (
        "Không trích xuất được đoạn video {name} (camera {camera}, {start} – {end}): {reason}. Hồ sơ không được "
        "xuất.",
        "The clip {name} (camera {camera}, {start} – {end}) could not be exported: {reason}. The case file was not "
        "exported.",
    ),
    Say.CASE_REPORT_FAILED: (
        "Không tạo được báo cáo vụ việc {name}: {reason}. Hồ sơ không được xuất.",
        "The case report {name} could not be written: {reason}. The case file was not exported.",
    ),
    Say.CASE_CANCELLED: (
        "Đã hủy xuất hồ sơ vụ việc số {incident}: không để lại tệp nào trong {folder}.",
        "Exporting the case file of incident {incident} was cancelled: nothing was left in {folder}.",
    ),
    Say.CASE_PHASE_CLIP: (
        "Đang trích xuất đoạn video {name}",
        "Exporting the clip {name}",
    ),
    Say.CASE_PHASE_ORIGINAL: (
        "Đang sao chép video gốc do người dân cung cấp {name}",
        "Copying the citizen's original video {name}",
    ),
    Say.CASE_PHASE_PICTURE: (
        "Đang sao chép ảnh {name}",
        "Copying the picture {name}",
    ),
    Say.CASE_PHASE_NOTES: (
        "Đang ghi các ghi chú vào {name}",
        "Writing the notes to {name}",
    ),
    Say.CASE_PHASE_REPORT: (
        "Đang lập báo cáo vụ việc {name}",
        "Writing the case report {name}",
    ),
    Say.CASE_PHASE_SIGN: (
        "Đang tính mã SHA-256 của mọi tệp và ký hồ sơ ({name})",
        "Computing every file's SHA-256 and signing the case file ({name})",
    ),
}


SENTENCES: Sentences[Say] = Sentences(_TEMPLATES)
render = SENTENCES.render
templates = SENTENCES.templates


class IncidentError(SaidError):
    """An incident change or a video intake refused; `message(lang)` says why to the officer."""

    sentences = SENTENCES


class IntakeRefusedError(IncidentError):
    """The file was not received (it cannot be read, is no video, changed, …); nothing of it was kept."""


class CaseExportError(IncidentError):
    """A case file could not be exported; nothing of it was left behind."""


class CaseExportCancelledError(IncidentError):
    """The officer cancelled a case export; nothing of it was left behind."""

    def __init__(self, incident: int, folder: str) -> None:
        super().__init__(Say.CASE_CANCELLED, incident=incident, folder=folder)


class IntakeCancelledError(IncidentError):
    """The officer cancelled; nothing of the file was kept."""

    def __init__(self, name: str) -> None:
        super().__init__(Say.CANCELLED, name=name)
