"""The audit trail's arithmetic: the canonical bytes of a row and the hash that chains it to the row before.

    hash(n) = SHA-256(hash(n-1) as 32 bytes ‖ canonical(n)),   hash(0) = 32 zero bytes
    canonical(n) = UTF-8 of the compact JSON array [id, at_ms, user, role, action, camera, target, details]

`details` is the JSON text as stored (itself canonical: sorted keys, no spaces, UTF-8 kept), so a reviewer
recomputes any row in a few lines of any language. The id is inside: a row moved, removed or inserted breaks
the chain. Checkpoint rows carry an Ed25519 signature of their own hash (domain-separated: a signature made
for an evidence manifest can never pass for one). Pure: stdlib only, no I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

GENESIS_HASH = "0" * 64
CHECKPOINT_ACTION = "audit.checkpoint"
ANOMALY_ACTION = "audit.anomaly"
SYSTEM_USER = "system"
CHECKPOINT_DOMAIN = b"camera-console audit checkpoint v1\n"
HEAD_DOMAIN = b"camera-console audit head v1\n"


def canonical_details(details: Mapping[str, object]) -> str:
    """The stored form of `details`; raises TypeError/ValueError for what JSON cannot hold (NaN included)."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True)
class ChainedRow:
    """One row of the `audit` table as stored."""

    id: int
    at_ms: int
    user: str
    role: str | None
    action: str
    camera: str | None
    target: str | None
    details: str  # canonical JSON (canonical_details)
    prev_hash: str
    hash: str
    signature: str | None = None  # hex Ed25519 signature of checkpoint_message(hash); checkpoints only

    @property
    def is_checkpoint(self) -> bool:
        return self.action == CHECKPOINT_ACTION


def canonical_row(row_id: int, at_ms: int, user: str, role: str | None, action: str, camera: str | None,
                  target: str | None, details: str) -> bytes:
    return json.dumps([row_id, at_ms, user, role, action, camera, target, details], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def link(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical).hexdigest()


def row_hash(row: ChainedRow, prev_hash: str) -> str:
    """The hash `row` must carry when it follows a row whose hash is `prev_hash`."""
    return link(prev_hash, canonical_row(row.id, row.at_ms, row.user, row.role, row.action, row.camera,
                                         row.target, row.details))


def chain_next(row_id: int, at_ms: int, user: str, role: str | None, action: str, camera: str | None,
               target: str | None, details: str, prev_hash: str) -> ChainedRow:
    """The row to store after the row whose hash is `prev_hash`."""
    canonical = canonical_row(row_id, at_ms, user, role, action, camera, target, details)
    return ChainedRow(row_id, at_ms, user, role, action, camera, target, details, prev_hash,
                      link(prev_hash, canonical))


def checkpoint_message(row_hash_hex: str) -> bytes:
    return CHECKPOINT_DOMAIN + bytes.fromhex(row_hash_hex)


def head_message(row_id: int, row_hash_hex: str) -> bytes:
    return HEAD_DOMAIN + f"{row_id}\n".encode("ascii") + bytes.fromhex(row_hash_hex)
