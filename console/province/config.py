"""The province file (`camera-console --province FILE`): the broker the communes report to, how the province logs
in, and the communes it expects, read and validated whole with every problem located in Vietnamese and English.

```toml
[broker]
url = "mqtts://mqtt.congan.bacninh.gov.vn:8883"  # TLS only, as the communes' [uplink]
ca_file = "province-ca.pem"                      # relative to this file
username = "province"
password_file = "province.password"              # the password alone, owner-only; or instead:
# credentials = "province"                       # a table (username, password) of the credentials store
# credentials_store = "credentials.toml"         # default: credentials.toml beside this file
protocol = "3.1.1"                               # or "5"

[[communes]]
id = "gia-dong"                                  # the commune's topic root bn/v1/gia-dong/…
name = "Gia Đông"
lat = 21.0601
lon = 106.0755

[map]                                            # optional: the province map's offline base map
mbtiles = "map/bac-ninh.mbtiles"                 # relative to this file
vector = "map/bac-ninh.geojson"                  # or ["ranh-gioi-xa.geojson", "duong.geojson"]
```

The map's files are named here, not opened: a missing or damaged one is said on the map, and the window opens.

The password is never in this file, a log or an exception: only in its own file or the credentials store.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from console.core import toml_file
from console.core.config import MapConfig
from console.core.config_messages import (
    EXPECT_FILE_LIST,
    EXPECT_NUMBER,
    EXPECT_TABLE,
    EXPECT_TEXT,
    Param,
    Phrase,
    Problem,
    expect_number,
    expect_table,
    expect_tables,
    shown,
    type_name,
    visible,
)
from console.core.config_messages import render as render_site
from console.core.credentials import Credentials, CredentialStore, CredentialStoreError
from console.core.redact import redact_url
from console.core.uplink_settings import MqttProtocol, parse_broker
from console.province.messages import ProvinceProblem
from console.province.messages import render as render_province

_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # the same ids as a site file's ([uplink] commune)
_BROKER_FIELDS = ("url", "ca_file", "username", "password_file", "credentials", "credentials_store", "protocol")
_COMMUNE_FIELDS = ("id", "name", "lat", "lon")
_MAP_FIELDS = ("mbtiles", "vector")
_TOP_FIELDS = ("broker", "communes", "map")
DEFAULT_STORE_NAME = "credentials.toml"
MAX_COMMUNES = 2000  # a province has a few hundred communes and wards


@dataclass(frozen=True)
class ProvinceCommune:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ProvinceConfig:
    host: str
    port: int
    ca_file: Path
    credentials: Credentials  # repr masks the password
    protocol: MqttProtocol
    communes: tuple[ProvinceCommune, ...]
    source: Path | None = None
    # `[map]`: mbtiles and vector only, their files checked when drawn (a bad one never stops the window)
    map: MapConfig = dataclass_field(default_factory=MapConfig)

    @property
    def broker(self) -> str:
        return f"mqtts://{self.host}:{self.port}"

    def commune(self, commune_id: str) -> ProvinceCommune | None:
        return next((c for c in self.communes if c.id == commune_id), None)


@dataclass(frozen=True)
class ProvinceIssue:
    """One problem: where (`communes[3] (gia-dong)`, field `lat`) and what, in either language."""

    where: str
    field: str
    problem: Problem | ProvinceProblem
    params: Mapping[str, Param] = dataclass_field(default_factory=dict)
    line: int | None = None

    def message(self, lang: str = "vi") -> str:
        if isinstance(self.problem, ProvinceProblem):
            words = {k: v.in_language(lang) if isinstance(v, Phrase) else v for k, v in self.params.items()}
            return render_province(self.problem, lang, words)
        return render_site(self.problem, lang, dict(self.params))

    def describe(self, lang: str = "vi") -> str:
        place = f"{self.where}.{self.field}" if self.field else self.where
        return f"{place}: {self.message(lang)}"


class ProvinceConfigError(Exception):
    """The province file cannot be used; carries every problem found (the message holds no password)."""

    def __init__(self, path: Path | None, issues: list[ProvinceIssue]) -> None:
        self.path = path
        self.issues = issues
        super().__init__("\n".join(i.describe("en") for i in issues))

    def describe(self, lang: str = "vi") -> str:
        return "\n".join(i.describe(lang) for i in self.issues)


class _Reader:
    """Walks the parsed TOML, collecting issues instead of stopping at the first."""

    def __init__(self) -> None:
        self.issues: list[ProvinceIssue] = []

    def add(self, where: str, fld: str, problem: Problem | ProvinceProblem, **params: Param) -> None:
        values = {k: v if isinstance(v, Phrase) else visible(str(v)) for k, v in params.items()}
        self.issues.append(ProvinceIssue(where, visible(fld), problem, values))

    def unknown(self, data: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.add(where, shown(key), Problem.UNKNOWN_FIELD, allowed=", ".join(allowed))

    def text(self, data: Mapping[str, Any], where: str, fld: str, required: bool = True) -> str | None:
        value = data.get(fld)
        if value is None:
            if required:
                self.add(where, fld, Problem.MISSING, expected=EXPECT_TEXT)
            return None
        if not isinstance(value, str):
            self.add(where, fld, Problem.WRONG_TYPE, expected=EXPECT_TEXT, got=type_name(value))
            return None
        if not value.strip():
            self.add(where, fld, Problem.EMPTY)
            return None
        return value.strip()

    def number(self, data: Mapping[str, Any], where: str, fld: str, low: float, high: float) -> float | None:
        value = data.get(fld)
        if value is None:
            self.add(where, fld, Problem.MISSING, expected=expect_number(low, high))
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(where, fld, Problem.WRONG_TYPE, expected=EXPECT_NUMBER, got=type_name(value))
            return None
        number = float(value) if abs(value) < 1e300 else math.inf
        if not math.isfinite(number) or not low <= number <= high:
            self.add(where, fld, Problem.OUT_OF_RANGE, value=shown(value), low=f"{low:g}", high=f"{high:g}")
            return None
        return number

    def path(self, data: Mapping[str, Any], where: str, fld: str, base: Path | None,
             required: bool = True) -> Path | None:
        text = self.text(data, where, fld, required)
        if text is None:
            return None
        found = Path(text)
        if not found.is_absolute() and base is not None:
            found = base / found
        if not found.is_file():
            self.add(where, fld, ProvinceProblem.FILE_MISSING, value=shown(found, 120))
            return None
        return found


def _password_from_file(reader: _Reader, path: Path) -> str | None:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        reader.add("broker", "password_file", ProvinceProblem.PASSWORD_FILE_UNREADABLE, value=shown(path, 120))
        return None
    password = text.splitlines()[0].strip() if text.strip() else ""
    if not password:
        reader.add("broker", "password_file", ProvinceProblem.PASSWORD_FILE_EMPTY, value=shown(path, 120))
        return None
    return password


def _credentials(reader: _Reader, table: Mapping[str, Any], base: Path | None) -> Credentials | None:
    has_file, has_ref = "password_file" in table, "credentials" in table
    if has_file and has_ref:
        reader.add("broker", "credentials", ProvinceProblem.BOTH_PASSWORDS)
        return None
    if has_ref:
        ref = reader.text(table, "broker", "credentials")
        store_path = reader.path(table, "broker", "credentials_store", base, required=False) \
            if "credentials_store" in table else (base or Path.cwd()) / DEFAULT_STORE_NAME
        if ref is None or store_path is None:
            return None
        try:
            store = CredentialStore.load(store_path)
        except CredentialStoreError as exc:
            reader.add("broker", "credentials_store", ProvinceProblem.CREDENTIALS_STORE_UNUSABLE,
                       reason=Phrase(exc.message("vi"), exc.message("en")))
            return None
        found = store.get(ref)
        if found is None:
            reader.add("broker", "credentials", ProvinceProblem.CREDENTIALS_NOT_IN_STORE, value=shown(ref),
                       store=shown(store_path, 120))
        return found
    username = reader.text(table, "broker", "username")
    if not has_file:
        reader.add("broker", "password_file", ProvinceProblem.NO_PASSWORD)
        return None
    path = reader.path(table, "broker", "password_file", base)
    password = _password_from_file(reader, path) if path is not None else None
    return Credentials(username, password) if username is not None and password is not None else None


def _communes(reader: _Reader, data: Mapping[str, Any]) -> list[ProvinceCommune]:
    entries = data.get("communes")
    if entries is None or entries == []:
        reader.add("communes", "", ProvinceProblem.NO_COMMUNES)
        return []
    if not isinstance(entries, list) or len(entries) > MAX_COMMUNES:
        reader.add("communes", "", Problem.WRONG_TYPE, expected=expect_tables("communes"), got=type_name(entries))
        return []
    communes: list[ProvinceCommune] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries):
        where = f"communes[{index + 1}]"
        if not isinstance(entry, dict):
            reader.add(where, "", Problem.WRONG_TYPE, expected=EXPECT_TABLE, got=type_name(entry))
            continue
        if isinstance(entry.get("id"), str):
            where = f"{where} ({shown(entry['id'])})"
        reader.unknown(entry, where, _COMMUNE_FIELDS)
        ident = reader.text(entry, where, "id")
        if ident is not None and not _ID.fullmatch(ident):
            reader.add(where, "id", Problem.BAD_ID, value=shown(ident))
            ident = None
        if ident is not None and ident in seen:
            reader.add(where, "id", Problem.DUPLICATE_ID, value=ident, first=seen[ident])
            ident = None
        if ident is not None:
            seen[ident] = where
        name = reader.text(entry, where, "name")
        lat = reader.number(entry, where, "lat", -90, 90)
        lon = reader.number(entry, where, "lon", -180, 180)
        if ident is not None and name is not None and lat is not None and lon is not None:
            communes.append(ProvinceCommune(ident, name, lat, lon))
    return communes


def _map_file(base: Path | None, text: str) -> Path:
    found = Path(text)
    return found if found.is_absolute() or base is None else base / found


def _map(reader: _Reader, data: Mapping[str, Any], base: Path | None) -> MapConfig:
    """`[map]`: an MBTiles pack and GeoJSON files (one name or a list), relative to the province file."""
    table = data.get("map")
    if table is None:
        return MapConfig()
    if not isinstance(table, dict):
        reader.add("map", "", Problem.WRONG_TYPE, expected=expect_table("map"), got=type_name(table))
        return MapConfig()
    reader.unknown(table, "map", _MAP_FIELDS)
    pack = reader.text(table, "map", "mbtiles", required=False)
    names = table.get("vector", [])
    if isinstance(names, str):
        names = [names]
        fields = ["vector"]
    else:
        fields = [f"vector[{index + 1}]" for index in range(len(names))] if isinstance(names, list) else []
    if not isinstance(names, list):
        reader.add("map", "vector", Problem.WRONG_TYPE, expected=EXPECT_FILE_LIST, got=type_name(names))
        names = []
    files = []
    for fld, name in zip(fields, names, strict=True):
        text = reader.text({fld: name}, "map", fld)
        if text is not None:
            files.append(_map_file(base, text))
    return MapConfig(mbtiles=_map_file(base, pack) if pack else None, vector=tuple(files))


def parse_province(data: Mapping[str, Any], source: Path | None = None) -> ProvinceConfig:
    """Validate the parsed file; ProvinceConfigError naming every problem."""
    reader = _Reader()
    base = source.parent if source is not None else None
    reader.unknown(data, "", _TOP_FIELDS)
    table = data.get("broker")
    if not isinstance(table, dict):
        reader.add("broker", "", Problem.MISSING if table is None else Problem.WRONG_TYPE,
                   expected=expect_table("broker"), got=type_name(table))
        table = {}
    else:
        reader.unknown(table, "broker", _BROKER_FIELDS)
    url = reader.text(table, "broker", "url")
    address = parse_broker(url) if url else None
    if isinstance(address, Phrase):
        reader.add("broker", "url", Problem.BAD_BROKER_URL, value=shown(redact_url(url or "")), reason=address)
        address = None
    ca_file = reader.path(table, "broker", "ca_file", base)
    protocol_text = table.get("protocol", MqttProtocol.V311.value)
    allowed = [p.value for p in MqttProtocol]
    if protocol_text not in allowed:
        reader.add("broker", "protocol", Problem.BAD_CHOICE, value=shown(protocol_text), allowed=", ".join(allowed))
        protocol_text = MqttProtocol.V311.value
    credentials = _credentials(reader, table, base) if table else None
    communes = _communes(reader, data)
    base_map = _map(reader, data, base)
    if reader.issues or address is None or ca_file is None or credentials is None:
        raise ProvinceConfigError(source, reader.issues)
    return ProvinceConfig(address[0], address[1], ca_file, credentials, MqttProtocol(protocol_text),
                          tuple(communes), source, base_map)


def load_province(path: Path) -> ProvinceConfig:
    """Read and validate a province file; ProvinceConfigError (located, both languages) when it is unusable."""
    data = toml_file.read(path)
    if isinstance(data, toml_file.TomlFault):
        raise ProvinceConfigError(path, [ProvinceIssue(str(path), "", data.site_problem(), data.params,
                                                       data.line)])
    return parse_province(data, path)
