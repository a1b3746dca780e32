"""Vietnamese and English wording of what the ONVIF adapter and its command line tell a person."""

from __future__ import annotations

from enum import StrEnum

from console.core.sentences import Sentences
from console.core.vntime import format_offset_en, format_offset_vi

__all__ = ["Say", "format_offset_en", "format_offset_vi", "render", "templates"]


class Say(StrEnum):
    """One sentence; the value names its template below."""

    AUTH = "auth"
    UNREACHABLE = "unreachable"
    NOT_ONVIF = "not_onvif"
    MALFORMED = "malformed"
    TIMEOUT = "timeout"
    CLOCK = "clock"
    FAULT = "fault"
    UNSUPPORTED = "unsupported"
    CLI_NOTHING_ANSWERED = "cli_nothing_answered"
    CLI_PASSWORD_FILE = "cli_password_file"
    CLI_PASSWORD_WITHOUT_USER = "cli_password_without_user"
    CLI_USER_WITHOUT_PASSWORD = "cli_user_without_password"
    CLI_BAD_TARGET = "cli_bad_target"
    CLI_BAD_PORTS = "cli_bad_ports"
    CLI_MULTICAST_WITH_PORTS = "cli_multicast_with_ports"
    CLI_NO_ADDRESS = "cli_no_address"
    NO_SERVICE = "no_service"
    PTZ_NO_PROFILE = "ptz_no_profile"
    PTZ_CENTRE_NO_SPACE = "ptz_centre_no_space"
    PTZ_CENTRE_NO_POSITION = "ptz_centre_no_position"
    PTZ_PRESET_NAME = "ptz_preset_name"
    CLOCK_NTP_ADDRESS = "clock_ntp_address"


_TEMPLATES: dict[Say, tuple[str, str]] = {
    Say.AUTH: (
        "Camera {address} từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu.",
        "Camera {address} refused the login: wrong user name or password.",
    ),
    Say.UNREACHABLE: (
        "Không kết nối được tới {address}: không có dịch vụ nào trả lời (sai địa chỉ, sai cổng, camera tắt "
        "hoặc mạng không thông).",
        "Cannot reach {address}: nothing answers there (wrong address or port, camera off, or no network).",
    ),
    Say.NOT_ONVIF: (
        "{address} có trả lời nhưng không phải dịch vụ ONVIF. Hãy kiểm tra cổng ONVIF của camera "
        "(thường là 80 hoặc 8000).",
        "{address} answers but is not an ONVIF service. Check the camera's ONVIF port (usually 80 or 8000).",
    ),
    Say.MALFORMED: (
        "Camera {address} trả lời bằng XML hỏng, không đọc được.",
        "Camera {address} answered with broken XML that cannot be read.",
    ),
    Say.TIMEOUT: (
        "Camera {address} không trả lời trong {seconds} giây.",
        "Camera {address} did not answer within {seconds} seconds.",
    ),
    Say.CLOCK: (
        "Camera {address} từ chối đăng nhập và đồng hồ của camera lệch {offset} so với máy trạm. Hãy kiểm tra "
        "mật khẩu, chỉnh giờ camera (hoặc đặt máy chủ NTP) rồi thử lại.",
        "Camera {address} refused the login and its clock is off by {offset} from this station. Check the "
        "password, set the camera's clock (or its NTP server) and try again.",
    ),
    Say.FAULT: (
        "Camera {address} từ chối yêu cầu {operation}: {reason}",
        "Camera {address} refused the request {operation}: {reason}",
    ),
    Say.UNSUPPORTED: (
        "Camera {address} không làm được việc này: {reason}.",
        "Camera {address} cannot do this: {reason}.",
    ),
    Say.CLI_NOTHING_ANSWERED: (
        "Không có thiết bị ONVIF nào trả lời tại {target}.",
        "No ONVIF device answered at {target}.",
    ),
    Say.CLI_PASSWORD_FILE: (
        "Không đọc được tệp mật khẩu {path}: {reason}",
        "Cannot read the password file {path}: {reason}",
    ),
    Say.CLI_PASSWORD_WITHOUT_USER: (
        "Có --password-file nhưng thiếu --user.",
        "--password-file was given without --user.",
    ),
    Say.CLI_USER_WITHOUT_PASSWORD: (
        "Có --user nhưng thiếu --password-file (mật khẩu không bao giờ được ghi trên dòng lệnh).",
        "--user was given without --password-file (a password never goes on the command line).",
    ),
    Say.CLI_BAD_TARGET: (
        "Địa chỉ --target không hợp lệ: {target}",
        "Not a valid --target address: {target}",
    ),
    Say.CLI_BAD_PORTS: (
        "Danh sách --ports không hợp lệ: {ports}",
        "Not a valid --ports list: {ports}",
    ),
    Say.CLI_MULTICAST_WITH_PORTS: (
        "--ports cần một địa chỉ camera (hoặc một dải địa chỉ) trong --target, không phải nhóm multicast {target}.",
        "--ports needs a camera address (or a range) in --target, not the multicast group {target}.",
    ),
    Say.CLI_NO_ADDRESS: (
        "Thiết bị {device} trả lời dò tìm nhưng không cho địa chỉ dịch vụ (XAddrs) dùng được.",
        "Device {device} answered the probe but gave no usable service address (XAddrs).",
    ),
    Say.NO_SERVICE: (
        "camera không có dịch vụ {service}",
        "it has no {service} service",
    ),
    Say.PTZ_NO_PROFILE: (
        "camera không có hồ sơ video nào được cấu hình PTZ",
        "it has no media profile with a PTZ configuration",
    ),
    Say.PTZ_CENTRE_NO_SPACE: (
        "căn giữa điểm đã bấm cần quay tương đối theo khung hình hoặc quay tới vị trí tuyệt đối, camera không "
        "hỗ trợ cả hai",
        "centring the clicked point needs relative moves in the field of view or absolute moves, and the camera "
        "supports neither",
    ),
    Say.PTZ_CENTRE_NO_POSITION: (
        "camera không cho biết vị trí hiện tại nên không tính được hướng cần quay tới để căn giữa điểm đã bấm",
        "the camera does not report its current position, so where to turn to centre the clicked point cannot be "
        "worked out",
    ),
    Say.PTZ_PRESET_NAME: (
        "Tên điểm đặt sẵn không được để trống.",
        "A preset needs a name.",
    ),
    Say.CLOCK_NTP_ADDRESS: (
        "Địa chỉ máy chủ NTP không hợp lệ: {server}",
        "Not a valid NTP server address: {server}",
    ),
}


SENTENCES: Sentences[Say] = Sentences(_TEMPLATES)
render = SENTENCES.render
templates = SENTENCES.templates
