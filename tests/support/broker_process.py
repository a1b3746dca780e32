"""What every province broker a test starts has in common: 127.0.0.1 only, TLS with a throwaway province CA, the
`province` account, a start bounded in time (a clear error with the broker's log tail) and `kill()` = `kill -9`.

`tests/support/mosquitto.py` and `tests/support/rabbitmq.py` are the two brokers; `tests/support/brokers.py` is
the `broker` fixture that runs a test on each.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Self

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "127.0.0.1"  # never any other address
PROVINCE_USER = "province"
PROVINCE_PASSWORD = "Dung-Mat-Khau-1"
LOG_TAIL_CHARS = 3000


def write_private(path: Path, data: bytes) -> Path:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return path


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass(frozen=True)
class Pki:
    """A throwaway province CA and what it signed, as PEM files in `folder`."""

    folder: Path
    ca_cert: Path
    server_cert: Path
    server_key: Path
    _ca_key: ec.EllipticCurvePrivateKey = field(repr=False)
    _ca: x509.Certificate = field(repr=False)

    def client_cert(self, common_name: str) -> tuple[Path, Path]:
        """A client certificate for `common_name` (the commune's id), signed by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _signed(_name(common_name), key, self._ca.subject, self._ca_key,
                       x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]))
        cert_path = self.folder / f"{common_name}.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cert_path, write_private(self.folder / f"{common_name}.key", _pem_key(key))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _signed(subject: x509.Name, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
            issuer_key: ec.EllipticCurvePrivateKey, *extensions: x509.ExtensionType) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2)))
    for extension in extensions:
        builder = builder.add_extension(extension, critical=isinstance(extension, x509.BasicConstraints))
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(folder: Path, name: str = "ca") -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"Test province CA {name}")
    ca = _signed(ca_name, ca_key, ca_name, ca_key,
                 x509.BasicConstraints(ca=True, path_length=0),
                 x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                               data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                               encipher_only=False, decipher_only=False))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _signed(_name(HOST), server_key, ca_name, ca_key,
                     x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST)),
                                                  x509.DNSName("localhost")]),
                     x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]))
    ca_path = folder / f"{name}.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    server_path = folder / f"{name}-server.pem"
    server_path.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    return Pki(folder, ca_path, server_path, write_private(folder / f"{name}-server.key", _pem_key(server_key)),
               ca_key, ca)


def client_context(ca: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def wait_ready(process: subprocess.Popen[bytes], ready: Callable[[], bool], timeout_s: float, what: str,
               log_tail: Callable[[], str]) -> float:
    """Poll `ready` until it holds (the seconds it took); RuntimeError with the log's tail when the process exits
    first or `timeout_s` passes."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start (code {process.returncode}):\n{log_tail()}")
        if ready():
            return time.monotonic() - started
        time.sleep(0.02)
    raise RuntimeError(f"{what} did not start within {timeout_s:g} s:\n{log_tail()}")


def read_tail(path: Path, chars: int = LOG_TAIL_CHARS) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


class BrokerProcess:
    """One province broker on 127.0.0.1 (TLS only, on `port`), its files in `folder`: `start()` (bounded),
    `kill()` (`kill -9`, no goodbye to anyone), `start()` again on the same ports and files."""

    name: ClassVar[str]
    # RabbitMQ 3.10 keeps a retained message per node and sends it only to a subscription of its exact topic;
    # mosquitto sends it to every matching subscription, wildcards too.
    retained_to_wildcards: ClassVar[bool] = True
    # What the broker does with a PUBLISH its ACL refuses: mosquitto acknowledges it and drops it, RabbitMQ
    # closes the connection.
    refused_publish_closes: ClassVar[bool] = False
    port: int  # the TLS listener for passwords
    cert_port: int | None = None  # a listener that takes client certificates (CN = user), where there is one

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.pki = make_pki(folder / "pki")
        self.log = folder / f"{self.name}.log"
        self.started_s: list[float] = []  # how long each start() took

    def start(self) -> Self:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        raise NotImplementedError

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.kill()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(port={self.port})"
