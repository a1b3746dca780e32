"""Site configuration of a commune: the model, the TOML loader and a validator that names every fault.

Whatever the file holds, validation returns issues and never raises: a wrong type, a 400-digit number,
thousands of nested arrays or a file saved by Notepad as UTF-16 each get a sentence saying where.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from console.core import toml_file
from console.core.config_messages import (
    EXPECT_BOOL,
    EXPECT_FILE_LIST,
    EXPECT_IMAGE_BOUNDS,
    EXPECT_NUMBER,
    EXPECT_TABLE,
    EXPECT_TEXT,
    EXPECT_TEXT_LIST,
    URL_BAD_PORT,
    URL_NO_HOST,
    URL_SPACES,
    URL_UNPARSABLE,
    Param,
    Phrase,
    Problem,
    expect_number,
    expect_table,
    expect_tables,
    render,
    shown,
    type_name,
    url_not_rtsp,
    visible,
)
from console.core.credentials import PASSWORD_PLACEHOLDER, CredentialStore, CredentialStoreError, has_placeholders
from console.core.geo import GeoPoint
from console.core.login_settings import MAX_IDLE_MIN, LoginSettings
from console.core.onvif_settings import (
    DEFAULT_HOME_AFTER_MIN,
    DEFAULT_ONVIF_PORT,
    CameraOnvif,
    EventKindName,
    OnvifSiteSettings,
)
from console.core.recorder_settings import (
    DEFAULT_RECORDER_HTTP_PORT,
    DEFAULT_RECORDER_RTSP_PORT,
    MAX_RECORDER_CHANNEL,
    RecorderSettings,
    RecorderTimeMode,
    RecorderVendor,
    parse_zone,
)
from console.core.recording import RecordingSettings
from console.core.redact import has_userinfo_password, redact, redact_url, secret_params
from console.core.uplink_settings import MAX_BACKLOG_PER_S, MqttProtocol, UplinkSettings, parse_broker
from console.core.vntime import UTC7_ZONE_NAMES

SCHEMA_VERSION = 1
MAX_DISTANCE_FROM_CENTRE_KM = 15.0
USUAL_MAX_CAMERAS_PER_SITE = 4
# A commune has tens of cameras; a thousand in one file is a block pasted over and over, never a real site
# (and checking a million pasted cameras must not hang the console).
MAX_CAMERAS_PER_FILE = 1000
MAX_URL_SHOWN_CHARS = 200
DEFAULT_RTSP_PORTS = {"rtsp": 554, "rtsps": 322}
MAX_RANGE_M = 2000.0
_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class RecordingMode(StrEnum):
    OFF = "off"
    CONTINUOUS = "continuous"
    ON_ALERT = "on_alert"


class Transport(StrEnum):
    TCP = "tcp"
    UDP = "udp"


class IngestPath(StrEnum):
    """How a camera's packets reach the console: RTP closed on the marker bit (the default: one frame sooner),
    or FFmpeg's RTSP demuxer (per camera in the site file, and chosen on its own for a camera the RTP path
    cannot set up)."""

    RTP = "rtp"
    FFMPEG = "ffmpeg"


class StreamKind(StrEnum):
    """A camera's two encodings: full resolution (main) and the small one for grids (sub)."""

    MAIN = "main"
    SUB = "sub"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    position: GeoPoint
    address: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Camera:
    id: str
    name: str
    site_id: str
    position: GeoPoint
    bearing_deg: float
    fov_deg: float
    range_m: float
    main_url: str
    sub_url: str | None
    credentials: str | None = None
    recording: RecordingMode = RecordingMode.OFF
    transport: Transport = Transport.TCP
    record_stream: StreamKind = StreamKind.MAIN
    ingest: IngestPath = IngestPath.RTP
    onvif: CameraOnvif | None = None  # None: RTSP only (no events, PTZ or clock reading)
    recorder: str | None = None  # the id of the recorder whose channel holds its recordings and events
    recorder_channel: int | None = None  # 1-based; set exactly when `recorder` is

    @property
    def label(self) -> str:
        """"C01 · name", without repeating the id when the name already starts with it."""
        return self.name if self.name.startswith(self.id) else f"{self.id} · {self.name}"

    @property
    def display_url(self) -> str:
        return redact(self.main_url)

    def url(self, kind: StreamKind) -> str:
        """The stream address for `kind`; a camera without a sub stream serves its main one for both."""
        if kind is StreamKind.SUB and self.sub_url:
            return self.sub_url
        return self.main_url

    def has_sub(self) -> bool:
        return bool(self.sub_url)


@dataclass(frozen=True)
class Commune:
    name: str
    district: str
    province: str
    centre: GeoPoint
    timezone: str
    coordinates_approximate: bool
    # The unit block of official forms; None: the interface derives it (core has no translations).
    police_unit: str | None = None  # "Công an xã Gia Đông"
    superior_unit: str | None = None  # "Công an thị xã Thuận Thành"
    place: str | None = None  # the place of the date line: "Gia Đông"


@dataclass(frozen=True)
class MapConfig:
    """Offline base maps named in `[map]` (paths relative to the site file)."""

    mbtiles: Path | None = None
    image: Path | None = None
    image_bounds: tuple[float, float, float, float] | None = None  # west, south, east, north
    online_osm: bool = False
    vector: tuple[Path, ...] = ()  # GeoJSON files drawn over the base (core/vector_map)


@dataclass(frozen=True)
class SiteConfig:
    """A whole commune: what the department writes and the installer pre-seeds."""

    commune: Commune
    sites: tuple[Site, ...]
    cameras: tuple[Camera, ...]
    source: Path | None = None
    credentials_file: Path | None = None
    map: MapConfig = MapConfig()
    recording: RecordingSettings = dataclass_field(default_factory=RecordingSettings)
    recordings_folder: Path | None = None  # None: "recordings" in the console's data folder
    onvif: OnvifSiteSettings = dataclass_field(default_factory=OnvifSiteSettings)
    login: LoginSettings = dataclass_field(default_factory=LoginSettings)
    uplink: UplinkSettings | None = None  # None: no [uplink] table, nothing goes to the province
    recorders: tuple[RecorderSettings, ...] = ()  # [[recorders]]: the station's NVRs

    def site(self, site_id: str) -> Site:
        return next(s for s in self.sites if s.id == site_id)

    def camera(self, camera_id: str) -> Camera:
        return next(c for c in self.cameras if c.id == camera_id)

    def cameras_of(self, site_id: str) -> tuple[Camera, ...]:
        return tuple(c for c in self.cameras if c.site_id == site_id)

    def recorder(self, recorder_id: str) -> RecorderSettings:
        return next(r for r in self.recorders if r.id == recorder_id)

    def cameras_on(self, recorder_id: str) -> dict[int, str]:
        """The recorder's channels that are cameras of the site: channel number → camera id."""
        return {c.recorder_channel: c.id for c in self.cameras
                if c.recorder == recorder_id and c.recorder_channel is not None}


@dataclass(frozen=True)
class ConfigIssue:
    """One problem: where it is (`cameras[3] (C04)`, field `main_url`), what is wrong, how bad."""

    where: str
    field: str
    problem: Problem
    params: Mapping[str, Param] = dataclass_field(default_factory=dict)
    severity: Severity = Severity.ERROR
    line: int | None = None

    def message(self, lang: str = "vi") -> str:
        return render(self.problem, lang, dict(self.params))

    def describe(self, lang: str = "vi") -> str:
        place = f"{self.where}.{self.field}" if self.field else self.where
        return f"{place}: {self.message(lang)}"


class ConfigError(Exception):
    """Raised by `load_config` when a file has at least one error; carries every issue found."""

    def __init__(self, path: Path | None, issues: list[ConfigIssue]) -> None:
        self.path = path
        self.issues = issues
        super().__init__("\n".join(i.describe("en") for i in issues))

    @property
    def errors(self) -> list[ConfigIssue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


class _Reader:
    """Walks the parsed TOML, collecting issues instead of stopping at the first."""

    def __init__(self) -> None:
        self.issues: list[ConfigIssue] = []

    def add(self, where: str, fld: str, problem: Problem, severity: Severity = Severity.ERROR,
            **params: object) -> None:
        values = {k: v if isinstance(v, Phrase) else visible(str(v)) for k, v in params.items()}
        self.issues.append(ConfigIssue(where, visible(fld), problem, values, severity))

    def table(self, data: Mapping[str, Any], where: str, fld: str) -> Mapping[str, Any] | None:
        value = data.get(fld)
        if value is None:
            self.add(where, fld, Problem.MISSING, expected=expect_table(fld))
            return None
        if not isinstance(value, dict):
            self.add(where, fld, Problem.WRONG_TYPE, expected=EXPECT_TABLE, got=type_name(value))
            return None
        return value

    def unknown(self, data: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.add(where, shown(key), Problem.UNKNOWN_FIELD, allowed=", ".join(allowed))

    def flag(self, data: Mapping[str, Any], where: str, fld: str, default: bool = False) -> bool:
        value = data.get(fld, default)
        if not isinstance(value, bool):
            self.add(where, fld, Problem.WRONG_TYPE, expected=EXPECT_BOOL, got=type_name(value))
            return default
        return value

    def text(self, data: Mapping[str, Any], where: str, fld: str, *, required: bool = True,
             default: str = "") -> str | None:
        value = data.get(fld)
        if value is None:
            if required:
                self.add(where, fld, Problem.MISSING, expected=EXPECT_TEXT)
                return None
            return default
        if not isinstance(value, str):
            self.add(where, fld, Problem.WRONG_TYPE, expected=EXPECT_TEXT, got=type_name(value))
            return None
        if required and not value.strip():
            self.add(where, fld, Problem.EMPTY)
            return None
        return value.strip()

    def number(self, data: Mapping[str, Any], where: str, fld: str, low: float, high: float, *,
               default: float | None = None, high_inclusive: bool = True) -> float | None:
        value = data.get(fld)
        if value is None:
            if default is None:
                self.add(where, fld, Problem.MISSING, expected=expect_number(low, high))
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(where, fld, Problem.WRONG_TYPE, expected=EXPECT_NUMBER, got=type_name(value))
            return None
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            number = math.inf
        above = number > high if high_inclusive else number >= high
        if not math.isfinite(number) or number < low or above:
            self.add(where, fld, Problem.OUT_OF_RANGE, value=shown(value), low=f"{low:g}", high=f"{high:g}")
            return None
        return number

    def choice(self, data: Mapping[str, Any], where: str, fld: str, enum: type[StrEnum],
               default: StrEnum) -> StrEnum:
        value = data.get(fld)
        if value is None:
            return default
        allowed = [e.value for e in enum]
        if not isinstance(value, str) or value not in allowed:
            self.add(where, fld, Problem.BAD_CHOICE, value=shown(value), allowed=", ".join(allowed))
            return default
        return enum(value)

    def ident(self, data: Mapping[str, Any], where: str, seen: dict[str, str]) -> str | None:
        value = self.text(data, where, "id")
        if value is None:
            return None
        if not _ID.fullmatch(value):
            self.add(where, "id", Problem.BAD_ID, value=shown(value))
            return None
        if value in seen:
            self.add(where, "id", Problem.DUPLICATE_ID, value=value, first=seen[value])
            return None
        seen[value] = where
        return value

    def point(self, data: Mapping[str, Any], where: str, centre: GeoPoint | None,
              fallback: GeoPoint | None = None) -> GeoPoint | None:
        if fallback is not None and "lat" not in data and "lon" not in data:
            return fallback
        lat = self.number(data, where, "lat", -90, 90)
        lon = self.number(data, where, "lon", -180, 180)
        if lat is None or lon is None:
            return None
        point = GeoPoint(lat, lon)
        if centre is not None:
            km = point.distance_km(centre)
            if km > MAX_DISTANCE_FROM_CENTRE_KM:
                self.add(where, "lat", Problem.FAR_FROM_CENTRE, km=f"{km:.1f}", limit=MAX_DISTANCE_FROM_CENTRE_KM)
        return point


def check_stream_url(url: str) -> Phrase | None:
    """Why an RTSP address is unusable, or None when it is fine (passwords are checked separately).

    The reason is always our own words: a URL parser's message quotes the address, password included."""
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return URL_SPACES
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        if "://" in url and url.split("://", 1)[0].lower() in DEFAULT_RTSP_PORTS:
            return URL_BAD_PORT
        return URL_UNPARSABLE
    if parts.scheme.lower() not in DEFAULT_RTSP_PORTS:
        return url_not_rtsp(shown(parts.scheme or "-"))
    if not parts.hostname:
        return URL_NO_HOST
    if port is not None and not 0 < port < 65536:
        return URL_BAD_PORT
    return None


def stream_key(url: str) -> str:
    """The address with case and default port normalised, to find two cameras on one stream."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_RTSP_PORTS.get(parts.scheme.lower(), 0)
    except ValueError:
        return url
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}{parts.path}?{parts.query}"


def _query_password(url: str) -> str | None:
    """The name of a `password=`-like parameter holding a real value (not the `{password}` placeholder)."""
    return next((name for name, value in secret_params(url) if value != PASSWORD_PLACEHOLDER), None)


def _stream(reader: _Reader, data: Mapping[str, Any], where: str, fld: str, required: bool) -> str | None:
    url = reader.text(data, where, fld, required=required, default="")
    if not url:
        return None
    value = shown(redact_url(url), MAX_URL_SHOWN_CHARS)
    if has_userinfo_password(url):
        reader.add(where, fld, Problem.PASSWORD_IN_URL, value=value)
        return None
    param = _query_password(url)
    if param is not None:
        reader.add(where, fld, Problem.PASSWORD_IN_QUERY, value=value, param=param)
        return None
    why = check_stream_url(url)
    if why is not None:
        reader.add(where, fld, Problem.BAD_URL, value=value, reason=why)
        return None
    return url


_TOP = ("schema_version", "commune", "sites", "cameras", "credentials_file", "map", "recording", "onvif", "login",
        "uplink", "recorders")
# [recording]: field -> (RecordingSettings field, lowest, highest, factor from the file's unit)
_RECORDING = {
    "segment_seconds": ("segment_s", 10, 3600, 1),
    "preroll_seconds": ("preroll_s", 0, 30, 1),
    "postroll_seconds": ("postroll_s", 0, 600, 1),
    "retention_days": ("retention_days", 1, 3650, 1),
    "quota_gb": ("quota_bytes", 0, 1_000_000, 1024**3),
    "min_free_gb": ("min_free_bytes", 0, 100_000, 1024**3),
}
_MAP = ("mbtiles", "image", "image_bounds", "online_osm", "vector")
_BOUNDS = ("west", "south", "east", "north")
_COMMUNE = ("name", "district", "province", "center", "timezone", "coordinates_approximate", "police_unit",
            "superior_unit", "place")
_COMMUNE_FORM = ("police_unit", "superior_unit", "place")  # optional, but never empty when given
_SITE = ("id", "name", "lat", "lon", "address", "notes")
_CAMERA = ("id", "name", "site", "lat", "lon", "bearing_deg", "fov_deg", "range_m", "main_url", "sub_url",
           "credentials", "recording", "transport", "record_stream", "ingest", "onvif", "recorder", "recorder_channel")
_RECORDER = ("id", "vendor", "host", "http_port", "rtsp_port", "credentials", "time_zone_mode", "time_zone", "events")
_HOST = re.compile(r"^[A-Za-z0-9._:-]{1,253}$")
EXPECT_RECORDER_ID = Phrase("mã một đầu ghi trong [[recorders]]", "the id of a recorder in [[recorders]]")
_CAMERA_ONVIF = ("port", "host", "events", "ptz", "home_preset", "home_after_min")
_SITE_ONVIF = ("clock_threshold_s", "clock_check_min", "ntp_server")
_LOGIN = ("wall_visible_when_locked", "lock_after_idle_min", "officer_may_export")
_UPLINK = ("enabled", "broker", "commune", "ca_file", "credentials", "protocol", "client_cert", "client_key",
           "backlog_per_s")
EXPECT_UPLINK_AUTH = Phrase("credentials (tên kho mật khẩu) hoặc client_cert và client_key",
                            "credentials (a credentials store name) or client_cert and client_key")


def _commune(reader: _Reader, data: Mapping[str, Any]) -> Commune | None:
    table = reader.table(data, "commune", "commune") if "commune" in data else None
    if table is None:
        if "commune" not in data:
            reader.add("commune", "", Problem.MISSING, expected=expect_table("commune"))
        return None
    reader.unknown(table, "commune", _COMMUNE)
    name = reader.text(table, "commune", "name")
    district = reader.text(table, "commune", "district", required=False)
    province = reader.text(table, "commune", "province", required=False)
    centre_table = reader.table(table, "commune", "center")
    centre = reader.point(centre_table, "commune.center", None) if centre_table is not None else None
    tz = reader.text(table, "commune", "timezone", required=False, default="Asia/Ho_Chi_Minh")
    if tz is not None and tz not in UTC7_ZONE_NAMES:
        reader.add("commune", "timezone", Problem.BAD_TIMEZONE, value=shown(tz),
                   allowed=", ".join(sorted(UTC7_ZONE_NAMES)))
    approx = reader.flag(table, "commune", "coordinates_approximate")
    police, superior, place = (reader.text(table, "commune", key) if key in table else None for key in _COMMUNE_FORM)
    if name is None or centre is None or tz is None:
        return None
    return Commune(name, district or "", province or "", centre, tz, approx, police, superior, place)


def _map(reader: _Reader, data: Mapping[str, Any], source: Path | None) -> MapConfig:
    table = reader.table(data, "map", "map") if "map" in data else None
    if table is None:
        return MapConfig()
    reader.unknown(table, "map", _MAP)
    base = source.parent if source is not None else Path()

    def path(fld: str) -> Path | None:
        text = reader.text(table, "map", fld, required=False)
        return base / text if text else None

    bounds = None
    if "image_bounds" in table:
        corners = reader.table(table, "map", "image_bounds")
        if corners is not None:
            reader.unknown(corners, "map.image_bounds", _BOUNDS)
            values = [reader.number(corners, "map.image_bounds", k, -180.0, 180.0) for k in _BOUNDS]
            if all(v is not None for v in values):
                west, south, east, north = (float(v) for v in values)  # type: ignore[arg-type]
                if west < east and south < north:
                    bounds = (west, south, east, north)
                else:
                    reader.add("map", "image_bounds", Problem.BAD_BOUNDS,
                               value=f"west={west:g}, south={south:g}, east={east:g}, north={north:g}")
    online = reader.flag(table, "map", "online_osm")
    image = path("image")
    if image is not None and bounds is None and "image_bounds" not in table:
        reader.add("map", "image_bounds", Problem.MISSING, expected=EXPECT_IMAGE_BOUNDS)
    return MapConfig(path("mbtiles"), image, bounds, online, _vector_files(reader, table, base))


def _vector_files(reader: _Reader, table: Mapping[str, Any], base: Path) -> tuple[Path, ...]:
    """`[map] vector = ["roads.geojson", …]`: the files' names only; their content is checked when drawn."""
    names = table.get("vector", [])
    if not isinstance(names, list):
        reader.add("map", "vector", Problem.WRONG_TYPE, expected=EXPECT_FILE_LIST, got=type_name(names))
        return ()
    files: list[Path] = []
    for index, name in enumerate(names):
        if not isinstance(name, str):
            reader.add("map", f"vector[{index}]", Problem.WRONG_TYPE, expected=EXPECT_TEXT, got=type_name(name))
        elif not name.strip():
            reader.add("map", f"vector[{index}]", Problem.EMPTY)
        else:
            files.append(base / name.strip())
    return tuple(files)


def _recording(reader: _Reader, data: Mapping[str, Any], source: Path | None) -> tuple[RecordingSettings, Path | None]:
    """`[recording]`: segment length, pre/post-roll, retention, quota, free-space floor, folder."""
    defaults = RecordingSettings()
    table = reader.table(data, "recording", "recording") if "recording" in data else None
    if table is None:
        return defaults, None
    reader.unknown(table, "recording", (*_RECORDING, "folder"))
    values: dict[str, Any] = {}
    for fld, (name, low, high, factor) in _RECORDING.items():
        value = reader.number(table, "recording", fld, low, high, default=getattr(defaults, name) / factor)
        if value is not None:
            values[name] = int(value * factor) if factor > 1 else value
    folder = reader.text(table, "recording", "folder", required=False)
    path = Path(folder) if folder else None
    if path is not None and not path.is_absolute() and source is not None:
        path = source.parent / path
    return RecordingSettings(**values), path


def _camera_onvif(reader: _Reader, entry: Mapping[str, Any], where: str) -> CameraOnvif | None:
    """`[cameras.onvif]` (or `onvif = { … }`): the camera's ONVIF port, host, opted-in events and PTZ home."""
    if "onvif" not in entry:
        return None
    table = reader.table(entry, where, "onvif")
    if table is None:
        return None
    place = f"{where}.onvif"
    reader.unknown(table, place, _CAMERA_ONVIF)
    port = reader.number(table, place, "port", 1, 65535, default=DEFAULT_ONVIF_PORT)
    host = reader.text(table, place, "host", required=False) or None
    kinds: set[EventKindName] = set()
    names = table.get("events", [])
    if not isinstance(names, list):
        reader.add(place, "events", Problem.WRONG_TYPE, expected=EXPECT_TEXT_LIST, got=type_name(names))
    else:
        allowed = ", ".join(k.value for k in EventKindName)
        for index, name in enumerate(names):
            if isinstance(name, str) and name in EventKindName.__members__.values():
                kinds.add(EventKindName(name))
            else:
                reader.add(place, f"events[{index}]", Problem.BAD_CHOICE, value=shown(name), allowed=allowed)
    ptz = reader.flag(table, place, "ptz") if "ptz" in table else None
    home = reader.text(table, place, "home_preset", required=False) or None
    home_after = reader.number(table, place, "home_after_min", 0, 24 * 60, default=DEFAULT_HOME_AFTER_MIN)
    if port is None or home_after is None:
        return None
    if port != int(port):
        reader.add(place, "port", Problem.OUT_OF_RANGE, value=shown(table.get("port")), low="1", high="65535")
        return None
    return CameraOnvif(int(port), host, frozenset(kinds), ptz, home, home_after)


def _site_onvif(reader: _Reader, data: Mapping[str, Any]) -> OnvifSiteSettings:
    """`[onvif]`: when a camera clock's offset raises an alert, how often clocks are read, the NTP server."""
    defaults = OnvifSiteSettings()
    table = reader.table(data, "onvif", "onvif") if "onvif" in data else None
    if table is None:
        return defaults
    reader.unknown(table, "onvif", _SITE_ONVIF)
    threshold = reader.number(table, "onvif", "clock_threshold_s", 0.5, 3600, default=defaults.clock_threshold_s)
    every = reader.number(table, "onvif", "clock_check_min", 1, 24 * 60, default=defaults.clock_check_min)
    ntp = reader.text(table, "onvif", "ntp_server", required=False) or None
    return OnvifSiteSettings(threshold if threshold is not None else defaults.clock_threshold_s,
                             every if every is not None else defaults.clock_check_min, ntp)


def _login(reader: _Reader, data: Mapping[str, Any]) -> LoginSettings:
    """`[login]`: the wall behind the lock screen, the idle lock, whether officers export evidence."""
    defaults = LoginSettings()
    table = reader.table(data, "login", "login") if "login" in data else None
    if table is None:
        return defaults
    reader.unknown(table, "login", _LOGIN)
    idle = reader.number(table, "login", "lock_after_idle_min", 0, MAX_IDLE_MIN, default=defaults.lock_after_idle_min)
    return LoginSettings(reader.flag(table, "login", "wall_visible_when_locked"),
                         idle if idle is not None else defaults.lock_after_idle_min,
                         reader.flag(table, "login", "officer_may_export", default=defaults.officer_may_export))


def _uplink(reader: _Reader, data: Mapping[str, Any], source: Path | None) -> UplinkSettings | None:
    """`[uplink]`: the province broker (mqtts:// only), the commune's topic id, the CA, how it logs in."""
    table = reader.table(data, "uplink", "uplink") if "uplink" in data else None
    if table is None:
        return None
    reader.unknown(table, "uplink", _UPLINK)
    enabled = reader.flag(table, "uplink", "enabled", default=True)
    broker = reader.text(table, "uplink", "broker")
    address = parse_broker(broker) if broker else None
    if isinstance(address, Phrase):
        reader.add("uplink", "broker", Problem.BAD_BROKER_URL, value=shown(redact_url(broker or ""),
                                                                           MAX_URL_SHOWN_CHARS), reason=address)
        address = None
    commune = reader.text(table, "uplink", "commune")
    if commune is not None and not _ID.fullmatch(commune):
        reader.add("uplink", "commune", Problem.BAD_ID, value=shown(commune))
        commune = None
    base = source.parent if source is not None else None

    def path(fld: str, required: bool) -> Path | None:
        text = reader.text(table, "uplink", fld, required=required)
        if not text:
            return None
        found = Path(text)
        if not found.is_absolute() and base is not None:
            found = base / found
        if (found.is_absolute() or base is not None) and not found.is_file():
            # A warning: the console still opens; the uplink says what it lacks in the status bar.
            reader.add("uplink", fld, Problem.UPLINK_FILE_MISSING, Severity.WARNING,
                       value=shown(found, MAX_URL_SHOWN_CHARS))
        return found

    ca_file = path("ca_file", True)
    creds = reader.text(table, "uplink", "credentials", required=False) or None
    cert, key = path("client_cert", False), path("client_key", False)
    if creds is None and cert is None:
        reader.add("uplink", "credentials", Problem.MISSING, expected=EXPECT_UPLINK_AUTH)
    if (cert is None) != (key is None):
        reader.add("uplink", "client_key" if key is None else "client_cert", Problem.MISSING, expected=EXPECT_TEXT)
    protocol = reader.choice(table, "uplink", "protocol", MqttProtocol, MqttProtocol.V311)
    rate = reader.number(table, "uplink", "backlog_per_s", 1, MAX_BACKLOG_PER_S, default=UplinkSettings.backlog_per_s)
    if address is None or commune is None or ca_file is None or rate is None:
        return None
    return UplinkSettings(address[0], address[1], commune, ca_file, creds, MqttProtocol(protocol), cert, key,
                          rate, enabled)


def _list_of_tables(reader: _Reader, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        reader.add(key, "", Problem.WRONG_TYPE, expected=expect_tables(key), got=type_name(value))
        return []
    return value


def _where(kind: str, index: int, entry: Mapping[str, Any]) -> str:
    ident = entry.get("id")
    return f"{kind}[{index}] ({shown(ident)})" if isinstance(ident, str) and ident else f"{kind}[{index}]"


def _sites(reader: _Reader, data: Mapping[str, Any], centre: GeoPoint | None) -> list[Site]:
    sites: list[Site] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(_list_of_tables(reader, data, "sites")):
        where = _where("sites", index, entry)
        reader.unknown(entry, where, _SITE)
        ident = reader.ident(entry, where, seen)
        name = reader.text(entry, where, "name")
        point = reader.point(entry, where, centre)
        address = reader.text(entry, where, "address", required=False) or ""
        notes = reader.text(entry, where, "notes", required=False) or ""
        if ident and name and point:
            sites.append(Site(ident, name, point, address, notes))
    return sites


def _camera(reader: _Reader, entry: Mapping[str, Any], where: str, seen: dict[str, str],
            sites: dict[str, Site], all_site_ids: list[str], centre: GeoPoint | None) -> Camera | None:
    reader.unknown(entry, where, _CAMERA)
    ident = reader.ident(entry, where, seen)
    name = reader.text(entry, where, "name")
    site_id = reader.text(entry, where, "site")
    site = sites.get(site_id or "")
    if site_id and site is None and site_id not in all_site_ids:
        reader.add(where, "site", Problem.UNKNOWN_SITE, value=shown(site_id),
                   known=shown(", ".join(all_site_ids) or "-", MAX_URL_SHOWN_CHARS))
    point = reader.point(entry, where, centre, fallback=site.position if site else None)
    bearing = reader.number(entry, where, "bearing_deg", 0, 360, high_inclusive=False)
    fov = reader.number(entry, where, "fov_deg", 1, 360, default=90.0)
    reach = reader.number(entry, where, "range_m", 1, MAX_RANGE_M, default=50.0)
    main = _stream(reader, entry, where, "main_url", required=True)
    sub = _stream(reader, entry, where, "sub_url", required=False)
    if main and not entry.get("sub_url"):
        reader.add(where, "sub_url", Problem.NO_SUB_STREAM, Severity.WARNING)
    if main and sub and main == sub:
        reader.add(where, "sub_url", Problem.SAME_STREAMS, Severity.WARNING)
    creds = reader.text(entry, where, "credentials", required=False, default="") or None
    for fld, url in (("main_url", main), ("sub_url", sub)):
        if url and has_placeholders(url) and creds is None:
            reader.add(where, fld, Problem.PLACEHOLDER_WITHOUT_CREDENTIALS, value=shown(url, MAX_URL_SHOWN_CHARS))
    recording = reader.choice(entry, where, "recording", RecordingMode, RecordingMode.OFF)
    transport = reader.choice(entry, where, "transport", Transport, Transport.TCP)
    record_stream = reader.choice(entry, where, "record_stream", StreamKind, StreamKind.MAIN)
    ingest = reader.choice(entry, where, "ingest", IngestPath, IngestPath.RTP)
    onvif = _camera_onvif(reader, entry, where)
    on_recorder = _camera_recorder(reader, entry, where)
    if not (ident and name and site and point and bearing is not None and fov and reach and main and on_recorder):
        return None
    recorder, channel = on_recorder
    return Camera(ident, name, site.id, point, bearing, fov, reach, main, sub, creds,
                  RecordingMode(recording), Transport(transport),
                  StreamKind(record_stream), IngestPath(ingest), onvif, recorder, channel)


def _integer(reader: _Reader, data: Mapping[str, Any], where: str, fld: str, low: int, high: int,
             default: int | None = None) -> int | None:
    """A whole number in [low, high] (a port, a channel): 80.5 is as wrong as 70000."""
    value = reader.number(data, where, fld, low, high, default=None if default is None else float(default))
    if value is None:
        return None
    if value != int(value):
        reader.add(where, fld, Problem.OUT_OF_RANGE, value=shown(data.get(fld)), low=str(low), high=str(high))
        return None
    return int(value)


def _camera_recorder(reader: _Reader, entry: Mapping[str, Any],
                     where: str) -> tuple[str | None, int | None] | None:
    """`recorder` + `recorder_channel`: both or neither (None: an error was reported). The id is checked
    against [[recorders]] once every camera is read (`_recorder_channels`)."""
    if "recorder" not in entry and "recorder_channel" not in entry:
        return None, None
    if "recorder" not in entry:
        reader.add(where, "recorder", Problem.MISSING, expected=EXPECT_RECORDER_ID)
        recorder = None
    else:
        recorder = reader.text(entry, where, "recorder")
    if "recorder_channel" not in entry:
        reader.add(where, "recorder_channel", Problem.MISSING, expected=expect_number(1, MAX_RECORDER_CHANNEL))
        return None
    channel = _integer(reader, entry, where, "recorder_channel", 1, MAX_RECORDER_CHANNEL)
    if recorder is None or channel is None:
        return None
    return recorder, channel


def _known_recorder(reader: _Reader, entry: Mapping[str, Any], where: str, declared: list[str]) -> None:
    """A camera's `recorder` names a `[[recorders]]` id (checked even when the camera has other errors)."""
    recorder = entry.get("recorder")
    if isinstance(recorder, str) and recorder.strip() and recorder.strip() not in declared:
        reader.add(where, "recorder", Problem.UNKNOWN_RECORDER, value=shown(recorder.strip()),
                   known=shown(", ".join(declared) or "-", MAX_URL_SHOWN_CHARS))


def _recorder_channels(reader: _Reader, cameras: list[tuple[str, Camera]],
                       recorders: list[tuple[str, RecorderSettings]]) -> None:
    """No channel of a recorder is two cameras."""
    known = {r.id for _, r in recorders}
    first: dict[tuple[str, int], str] = {}
    for where, camera in cameras:
        if camera.recorder not in known or camera.recorder is None or camera.recorder_channel is None:
            continue
        key = (camera.recorder, camera.recorder_channel)
        other = first.setdefault(key, where)
        if other != where:
            reader.add(where, "recorder_channel", Problem.DUPLICATE_RECORDER_CHANNEL, channel=str(key[1]),
                       recorder=camera.recorder, other=other)


def _recorder_host(reader: _Reader, table: Mapping[str, Any], where: str) -> str | None:
    host = reader.text(table, where, "host")
    if host is None:
        return None
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host  # [IPv6] as in a URL
    if not _HOST.fullmatch(bare) or (":" in bare and bare.count(":") < 2) or bare.startswith(("-", ".")):
        reader.add(where, "host", Problem.BAD_RECORDER_HOST, value=shown(redact_url(host), MAX_URL_SHOWN_CHARS))
        return None
    return bare


def _recorder_time(reader: _Reader, table: Mapping[str, Any],
                   where: str) -> tuple[RecorderTimeMode | None, int | None] | None:
    """`time_zone_mode` and `time_zone` (both optional: read from the recorder's clock when missing)."""
    ok = True
    mode: RecorderTimeMode | None = None
    if "time_zone_mode" in table:
        value = table["time_zone_mode"]
        allowed = [m.value for m in RecorderTimeMode]
        if isinstance(value, str) and value in allowed:
            mode = RecorderTimeMode(value)
        else:
            reader.add(where, "time_zone_mode", Problem.BAD_CHOICE, value=shown(value), allowed=", ".join(allowed))
            ok = False
    zone: int | None = None
    if "time_zone" in table:
        text = reader.text(table, where, "time_zone")
        zone = parse_zone(text) if text is not None else None
        if text is not None and zone is None:
            reader.add(where, "time_zone", Problem.BAD_RECORDER_ZONE, value=shown(text))
        ok = ok and zone is not None
    return (mode, zone) if ok else None


def _recorder(reader: _Reader, entry: Mapping[str, Any], where: str, seen: dict[str, str]) -> RecorderSettings | None:
    reader.unknown(entry, where, _RECORDER)
    ident = reader.ident(entry, where, seen)
    raw_vendor = entry.get("vendor")
    allowed = [v.value for v in RecorderVendor]
    vendor: RecorderVendor | None = None
    if raw_vendor is None:
        reader.add(where, "vendor", Problem.MISSING, expected=Phrase(" hoặc ".join(allowed), " or ".join(allowed)))
    elif not isinstance(raw_vendor, str) or raw_vendor.strip().lower() not in allowed:
        reader.add(where, "vendor", Problem.BAD_CHOICE, value=shown(raw_vendor), allowed=", ".join(allowed))
    else:
        vendor = RecorderVendor(raw_vendor.strip().lower())
    host = _recorder_host(reader, entry, where)
    http_port = _integer(reader, entry, where, "http_port", 1, 65535, default=DEFAULT_RECORDER_HTTP_PORT)
    rtsp_port = _integer(reader, entry, where, "rtsp_port", 1, 65535, default=DEFAULT_RECORDER_RTSP_PORT)
    creds = reader.text(entry, where, "credentials", required=False, default="") or None
    time = _recorder_time(reader, entry, where)
    events = reader.flag(entry, where, "events", default=True)
    if not (ident and vendor and host and http_port and rtsp_port and time):
        return None
    return RecorderSettings(ident, vendor, host, http_port, rtsp_port, creds, time[0], time[1], events)


def _recorders(reader: _Reader, data: Mapping[str, Any]) -> tuple[list[tuple[str, RecorderSettings]], list[str]]:
    """`[[recorders]]` (each with its place in the file), and every id the file declares (a recorder with an error
    included, so that its cameras are not also told it is unknown)."""
    recorders: list[tuple[str, RecorderSettings]] = []
    seen: dict[str, str] = {}
    entries = _list_of_tables(reader, data, "recorders")
    for index, entry in enumerate(entries):
        where = _where("recorders", index, entry)
        recorder = _recorder(reader, entry, where, seen)
        if recorder is not None:
            recorders.append((where, recorder))
    declared = [str(e["id"]) for e in entries if isinstance(e.get("id"), str)]
    return recorders, declared


def _same_streams(reader: _Reader, cameras: list[tuple[str, Camera]]) -> None:
    """Two cameras on one stream address show the same picture twice: almost always a copied block."""
    first: dict[str, str] = {}
    for where, camera in cameras:
        for fld, url in (("main_url", camera.main_url), ("sub_url", camera.sub_url)):
            if not url:
                continue
            key = stream_key(url)
            other = first.setdefault(key, f"{where}.{fld}")
            if not other.startswith(f"{where}."):
                reader.add(where, fld, Problem.DUPLICATE_STREAM, Severity.WARNING,
                           value=shown(redact_url(url), MAX_URL_SHOWN_CHARS), other=other)


def _cameras(reader: _Reader, data: Mapping[str, Any], sites: list[Site], centre: GeoPoint | None,
             recorders: tuple[list[tuple[str, RecorderSettings]], list[str]] = ([], [])) -> list[Camera]:
    by_id = {s.id: s for s in sites}
    site_entries = data.get("sites")
    declared = [str(e["id"]) for e in site_entries if isinstance(e, dict) and isinstance(e.get("id"), str)] \
        if isinstance(site_entries, list) else []
    placed: list[tuple[str, Camera]] = []
    seen: dict[str, str] = {}
    entries = _list_of_tables(reader, data, "cameras")
    if not entries:
        reader.add("cameras", "", Problem.NO_CAMERAS)
    if len(entries) > MAX_CAMERAS_PER_FILE:
        reader.add("cameras", "", Problem.TOO_MANY_CAMERAS_IN_FILE, count=len(entries), limit=MAX_CAMERAS_PER_FILE)
    for index, entry in enumerate(entries[:MAX_CAMERAS_PER_FILE]):
        where = _where("cameras", index, entry)
        camera = _camera(reader, entry, where, seen, by_id, declared, centre)
        _known_recorder(reader, entry, where, recorders[1])
        if camera is not None:
            placed.append((where, camera))
    _same_streams(reader, placed)
    _recorder_channels(reader, placed, recorders[0])
    cameras = [camera for _, camera in placed]
    for site in sites:
        count = sum(1 for c in cameras if c.site_id == site.id)
        if count == 0:
            reader.add(f"site {site.id}", "", Problem.SITE_WITHOUT_CAMERAS, Severity.WARNING)
        elif count > USUAL_MAX_CAMERAS_PER_SITE:
            reader.add(f"site {site.id}", "", Problem.TOO_MANY_CAMERAS, Severity.WARNING,
                       count=count, limit=USUAL_MAX_CAMERAS_PER_SITE)
    return cameras


def credentials_path(data: Mapping[str, Any], source: Path | None) -> Path | None:
    """The credentials store a config names in `credentials_file`, relative to the config file."""
    name = data.get("credentials_file")
    if not isinstance(name, str) or not name.strip():
        return None
    path = Path(name.strip())
    return source.parent / path if source is not None and not path.is_absolute() else path


def parse_config(data: Mapping[str, Any], source: Path | None = None,
                 credential_refs: Callable[[], set[str]] | None = None) -> tuple[SiteConfig | None, list[ConfigIssue]]:
    """Validate parsed TOML. Returns the config (None if any error) and every issue, errors first."""
    reader = _Reader()
    reader.unknown(data, "(file)", _TOP)
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION or isinstance(version, bool):
        reader.add("(file)", "schema_version", Problem.BAD_SCHEMA_VERSION, value=shown(version),
                   supported=SCHEMA_VERSION)
    commune = _commune(reader, data)
    centre = commune.centre if commune else None
    sites = _sites(reader, data, centre)
    recorders = _recorders(reader, data)
    cameras = _cameras(reader, data, sites, centre, recorders)
    reader.text(data, "(file)", "credentials_file", required=False)  # type check only
    base_map = _map(reader, data, source)
    recording, recordings_folder = _recording(reader, data, source)
    onvif = _site_onvif(reader, data)
    login = _login(reader, data)
    uplink = _uplink(reader, data, source)
    creds_path = credentials_path(data, source)
    if credential_refs is not None:
        known = credential_refs()
        for index, camera in enumerate(cameras):
            if camera.credentials and camera.credentials not in known:
                reader.add(f"cameras[{index}] ({camera.id})", "credentials", Problem.UNKNOWN_CREDENTIALS,
                           value=shown(camera.credentials), store=str(creds_path or "-"))
        for where, recorder in recorders[0]:
            if recorder.credentials and recorder.credentials not in known:
                reader.add(where, "credentials", Problem.UNKNOWN_CREDENTIALS,
                           value=shown(recorder.credentials), store=str(creds_path or "-"))
        if uplink is not None and uplink.credentials and uplink.credentials not in known:
            reader.add("uplink", "credentials", Problem.UNKNOWN_CREDENTIALS, value=shown(uplink.credentials),
                       store=str(creds_path or "-"))
    issues = sorted(reader.issues, key=lambda i: i.severity is not Severity.ERROR)
    if any(i.severity is Severity.ERROR for i in issues) or commune is None:
        return None, issues
    return SiteConfig(commune, tuple(sites), tuple(cameras), source, creds_path, base_map, recording,
                      recordings_folder, onvif, login, uplink, tuple(r for _, r in recorders[0])), issues


def read_toml(path: Path) -> tuple[dict[str, Any] | None, list[ConfigIssue]]:
    """Parse a TOML file; an unreadable file, a wrong encoding or a syntax error becomes a located issue."""
    data = toml_file.read(path)
    if isinstance(data, toml_file.TomlFault):
        return None, [ConfigIssue(str(path), "", data.site_problem(), data.params, line=data.line)]
    return data, []


def load_config(path: Path, credential_refs: Callable[[], set[str]] | None = None) -> SiteConfig:
    """Load and validate a site configuration; raise ConfigError naming every problem."""
    data, issues = read_toml(path)
    if data is None:
        raise ConfigError(path, issues)
    config, issues = parse_config(data, path, credential_refs)
    if config is None:
        raise ConfigError(path, issues)
    return config


def _store_issues(data: Mapping[str, Any], path: Path) -> tuple[CredentialStore | None, list[ConfigIssue]]:
    """The credentials store the file names, or why it cannot be used (missing, unreadable, open to others)."""
    store_path = credentials_path(data, path)
    if store_path is None:
        return CredentialStore({}), []
    if not store_path.exists():
        cameras = data.get("cameras")
        used = isinstance(cameras, list) and any(isinstance(c, dict) and c.get("credentials") for c in cameras)
        uplink = data.get("uplink")
        used = used or (isinstance(uplink, dict) and bool(uplink.get("credentials")))
        recorders = data.get("recorders")
        used = used or (isinstance(recorders, list) and any(isinstance(r, dict) and r.get("credentials")
                                                            for r in recorders))
        # With no camera naming credentials an absent store is harmless (one may be imported later).
        severity = Severity.ERROR if used else Severity.WARNING
        issue = ConfigIssue("(file)", "credentials_file", Problem.CREDENTIALS_FILE_MISSING,
                            {"store": str(store_path)}, severity)
        return CredentialStore({}, store_path), [issue]
    try:
        return CredentialStore.load(store_path), []
    except CredentialStoreError as exc:
        return None, [ConfigIssue("(file)", "credentials_file", exc.problem, dict(exc.params))]


def check_site_file(path: Path) -> tuple[SiteConfig | None, CredentialStore | None, list[ConfigIssue]]:
    """Everything the console checks before it opens a site file, as issues (errors first): the file, its
    credentials store and every camera's reference into it. The `check` command and the console use this one
    function, so a file the check calls valid is a file the console opens."""
    data, issues = read_toml(path)
    if data is None:
        return None, None, issues
    store, store_issues = _store_issues(data, path)
    config, issues = parse_config(data, path, store.refs if store is not None else None)
    issues = sorted(store_issues + issues, key=lambda i: i.severity is not Severity.ERROR)
    if any(i.severity is Severity.ERROR for i in issues):
        return None, store, issues
    return config, store, issues


def load_config_with_credentials(path: Path) -> tuple[SiteConfig, CredentialStore]:
    """Load a config and the credentials store it names, checking every camera's reference against it.

    Raises ConfigError naming every problem, the store's included (missing, unreadable, readable by others).
    """
    config, store, issues = check_site_file(path)
    if config is None or store is None:
        raise ConfigError(path, issues)
    return config, store
