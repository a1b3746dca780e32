"""The station's Ed25519 key pair: made at first start in the data folder (private key owner-only, refused when
others can read it), and the public key's fingerprint that About, record sheets and verifiers show."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from console.core.atomic import fsync_folder
from console.evidence.messages import EvidenceError, Say

KEYS_FOLDER = "keys"
PRIVATE_KEY_FILE = "station-ed25519.key"
PUBLIC_KEY_FILE = "station-ed25519.pub"
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
FINGERPRINT_GROUP = 4  # hex digits per group: "3F2A 91C0 …", read aloud over the phone four at a time


def key_folder(data: Path) -> Path:
    return data / KEYS_FOLDER


def fingerprint(raw_public_key: bytes) -> str:
    """SHA-256 of the raw 32-byte public key, upper-case hex in groups of four (16 groups)."""
    digest = hashlib.sha256(raw_public_key).hexdigest().upper()
    return " ".join(digest[i:i + FINGERPRINT_GROUP] for i in range(0, len(digest), FINGERPRINT_GROUP))


@dataclass(frozen=True)
class PublicKey:
    """The station's public key: checks signatures, names itself by fingerprint."""

    raw: bytes

    @classmethod
    def from_pem(cls, data: bytes) -> PublicKey:
        key = serialization.load_pem_public_key(data)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return cls(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    @classmethod
    def from_hex(cls, text: str) -> PublicKey:
        raw = bytes.fromhex(text)
        if len(raw) != PUBLIC_KEY_BYTES:
            raise ValueError("an Ed25519 public key has 32 bytes")
        return cls(raw)

    def pem(self) -> bytes:
        return Ed25519PublicKey.from_public_bytes(self.raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


class StationKey:
    """The private half, held in memory only; repr and str name the fingerprint, never the key."""

    def __init__(self, private: Ed25519PrivateKey, path: Path) -> None:
        self._private = private
        self.path = path
        self.public = PublicKey(private.public_key().public_bytes(serialization.Encoding.Raw,
                                                                  serialization.PublicFormat.Raw))

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    def __repr__(self) -> str:
        return f"StationKey(path={str(self.path)!r}, fingerprint={self.public.fingerprint()!r})"

    __str__ = __repr__


def read_public_key(path: Path) -> PublicKey:
    """A PEM public key file (the one an export carries, or the station's)."""
    try:
        return PublicKey.from_pem(path.read_bytes())
    except OSError as exc:
        raise EvidenceError(Say.PUBLIC_KEY_UNREADABLE, path=str(path), reason=exc.strerror or type(exc).__name__)\
            from None
    except ValueError:
        raise EvidenceError(Say.PUBLIC_KEY_UNREADABLE, path=str(path), reason="not an Ed25519 public key")\
            from None


def station_public_key(data: Path) -> PublicKey:
    """The station's public key for About and record sheets: read without touching the private key."""
    return read_public_key(key_folder(data) / PUBLIC_KEY_FILE)


def load_or_create_station_key(data: Path) -> StationKey:
    """The station key of this data folder, made on the first call (two threads at first start get one key)."""
    private = key_folder(data) / PRIVATE_KEY_FILE
    if not private.exists():
        _create(private)
    return load_station_key(data)


def load_station_key(data: Path) -> StationKey:
    folder = key_folder(data)
    path = folder / PRIVATE_KEY_FILE
    _refuse_readable_by_others(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise EvidenceError(Say.KEY_UNREADABLE, path=str(path), reason=exc.strerror or type(exc).__name__) from None
    except (ValueError, TypeError):  # the parser's message could quote the file: ours names it only
        raise EvidenceError(Say.KEY_UNREADABLE, path=str(path), reason="not an Ed25519 private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise EvidenceError(Say.KEY_UNREADABLE, path=str(path), reason="not an Ed25519 private key")
    station = StationKey(key, path)
    _keep_public_file(station, folder / PUBLIC_KEY_FILE)
    return station


def _refuse_readable_by_others(path: Path) -> None:
    if sys.platform == "win32":  # NTFS ACLs of the user's profile folder protect it there
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise EvidenceError(Say.KEY_UNREADABLE, path=str(path), reason=exc.strerror or type(exc).__name__) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise EvidenceError(Say.KEY_READABLE_BY_OTHERS, path=str(path), mode=f"{mode:o}")


def _create(path: Path) -> None:
    """Write the new key beside its place with 0600 from the first byte, then link it in: a second creator
    finds the first one's key, never half of one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-key-")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
        fsync_folder(path.parent)
    finally:
        os.unlink(temporary)


def _publish(path: Path, data: bytes) -> None:
    """Write the public key file whole, readable by all, through a temporary name of its own: two threads at
    first start both write it (the same bytes), neither sees the other's half."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-pub-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        fsync_folder(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _keep_public_file(station: StationKey, path: Path) -> None:
    """The public key file beside the private one: written when missing, refused when it is another key's."""
    try:
        found = PublicKey.from_pem(path.read_bytes())
    except FileNotFoundError:
        _publish(path, station.public.pem())
        return
    except (OSError, ValueError):
        found = None
    if found != station.public:
        raise EvidenceError(Say.KEY_MISMATCH, public=str(path), private=str(station.path))
