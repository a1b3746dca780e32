"""What the site file says about the province uplink (`[uplink]`): the province's MQTT broker, the commune's
id under the topic root, the province CA, the credentials reference, the MQTT version.

```toml
[uplink]
enabled = true                                  # default true; false keeps the table but sends nothing
broker = "mqtts://mqtt.congan.bacninh.gov.vn:8883"
commune = "gia-dong"                            # the topic root bn/v1/gia-dong/…
ca_file = "province-ca.pem"                     # relative to the site file
credentials = "uplink"                          # a table (username, password) of the credentials store
protocol = "3.1.1"                              # or "5"; default "3.1.1" (RabbitMQ speaks only 3.1.1)
# client_cert = "gia-dong.pem"                  # instead of a password: a certificate the province signed
# client_key = "gia-dong.key"
# backlog_per_s = 50                            # how fast a backlog drains after an outage (messages/s)
```

No `[uplink]` table: no uplink, and the console works exactly as it did. The broker address is TLS only
(`mqtts://`): a plain `mqtt://` would send the commune's password and its alerts in clear over the province
network, so it is refused at load rather than tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from console.core.config_messages import Phrase

DEFAULT_MQTTS_PORT = 8883
DEFAULT_BACKLOG_PER_S = 50.0  # 10,000 queued alerts drain in ~3 min; 100 communes at once: 5,000 msg/s at most
MAX_BACKLOG_PER_S = 2000.0
MQTTS_SCHEME = "mqtts"


class MqttProtocol(StrEnum):
    V311 = "3.1.1"
    V5 = "5"


@dataclass(frozen=True)
class UplinkSettings:
    """`[uplink]`: where the commune's alerts and health go, and how the console proves who it is."""

    host: str
    port: int
    commune: str
    ca_file: Path
    credentials: str | None = None  # a reference into the credentials store; None: a client certificate
    protocol: MqttProtocol = MqttProtocol.V311
    client_cert: Path | None = None
    client_key: Path | None = None
    backlog_per_s: float = DEFAULT_BACKLOG_PER_S
    enabled: bool = True

    @property
    def broker(self) -> str:
        """The broker's address as shown to people (it never holds a password)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{MQTTS_SCHEME}://{host}:{self.port}"


# Why a broker address is unusable: our own words, never a URL parser's (it would quote the address).
BROKER_NOT_MQTTS = Phrase("chỉ dùng kết nối mã hoá mqtts:// (mqtt:// gửi mật khẩu và cảnh báo không mã hoá)",
                          "only the encrypted mqtts:// is accepted (mqtt:// would send passwords and alerts in clear)")
BROKER_NO_HOST = Phrase("thiếu tên máy hoặc địa chỉ IP", "the host is missing")
BROKER_BAD_PORT = Phrase("cổng không hợp lệ (cần số từ 1 đến 65535)", "the port is invalid (1 to 65535 expected)")
BROKER_SPACES = Phrase("có dấu cách hoặc ký tự điều khiển", "it contains spaces or control characters")
BROKER_PASSWORD = Phrase("có tên đăng nhập hoặc mật khẩu: khai báo chúng trong kho mật khẩu (credentials)",
                         "it holds a user or password: put them in the credentials store (credentials)")
BROKER_PATH = Phrase("không được có đường dẫn hoặc tham số sau cổng", "no path or query may follow the port")


def parse_broker(url: str) -> tuple[str, int] | Phrase:
    """(host, port) of an `mqtts://host[:port]` address, or the reason it is unusable."""
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return BROKER_SPACES
    if "@" in url:  # before parsing: a '#' or '/' in a password would cut the address elsewhere
        return BROKER_PASSWORD
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return BROKER_BAD_PORT
    if parts.scheme.lower() != MQTTS_SCHEME:
        return BROKER_NOT_MQTTS
    if not parts.hostname:
        return BROKER_NO_HOST
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return BROKER_PATH
    if port is not None and not 0 < port < 65536:
        return BROKER_BAD_PORT
    return parts.hostname, port or DEFAULT_MQTTS_PORT
