"""The trail's signed head, a small file beside the database: the last row the station committed (id and
hash), rewritten after every commit. A tail cut off after the last checkpoint, or a trail rolled back, no
longer reaches it; the file is outside SQLite so that cutting the table cannot cut it too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from console.audit.chain import head_message
from console.core.atomic import write_durably
from console.evidence.keys import PublicKey, StationKey

HEAD_SUFFIX = ".audit-head"
HEAD_FORMAT = "camera-console-audit-head/1"


class HeadUnreadableError(ValueError):
    """The head file exists but is not one the station wrote."""


@dataclass(frozen=True)
class TrailHead:
    row: int
    hash: str
    signature: str

    def is_signed_by(self, key: PublicKey) -> bool:
        try:
            return key.verify(bytes.fromhex(self.signature), head_message(self.row, self.hash))
        except ValueError:
            return False


def head_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + HEAD_SUFFIX)


def read_head(path: Path) -> TrailHead | None:
    """The head, None when there is no file; HeadUnreadableError when it is damaged."""
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != HEAD_FORMAT:
            raise HeadUnreadableError(str(path))
        head = TrailHead(int(data["row"]), str(data["hash"]), str(data["signature"]))
        bytes.fromhex(head.hash)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise HeadUnreadableError(str(path)) from None
    return head


def write_head(path: Path, row: int, row_hash: str, key: StationKey) -> TrailHead:
    head = TrailHead(row, row_hash, key.sign(head_message(row, row_hash)).hex())
    document = {"format": HEAD_FORMAT, "row": head.row, "hash": head.hash, "signature": head.signature}
    write_durably(path, (json.dumps(document) + "\n").encode("ascii"))
    return head
