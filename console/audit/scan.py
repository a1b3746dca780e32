"""The verifier's pass over a trail: every row's link to the one before, its hash, every checkpoint's
signature, then the tail against the signed head. Pure: rows come in as tuples, nothing is opened here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from console.audit.chain import ANOMALY_ACTION, CHECKPOINT_ACTION, GENESIS_HASH, checkpoint_message
from console.audit.head import TrailHead
from console.audit.messages import Finding, row_span
from console.audit.verdict import TrailVerdict
from console.evidence.keys import PublicKey

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # chain.canonical_row, inlined


@dataclass(frozen=True)
class _Walked:
    """Where a pass without a problem ended."""

    verdict: TrailVerdict  # with its last checkpoint
    last_id: int
    head_hash: str | None  # the hash stored at the head's row, when the pass met that row


def scan(values: Iterable[tuple[Any, ...]], rows: int, key: PublicKey, head: TrailHead | None,
         head_name: str) -> TrailVerdict:
    """`values`: every row (console.store.audit.COLUMNS order) by id; `rows`: how many; `head`: the signed
    head file's content (None when there is none), `head_name` its path for the messages."""
    walked = _walk(values, key, head, TrailVerdict(rows, fingerprint=key.fingerprint()))
    if isinstance(walked, TrailVerdict):
        return walked
    return _judge_tail(walked, head, head_name, key)


def _walk(values: Iterable[tuple[Any, ...]], key: PublicKey, head: TrailHead | None,
          verdict: TrailVerdict) -> _Walked | TrailVerdict:
    prev_hash, prev_id, head_hash = GENESIS_HASH, 0, None
    head_row = head.row if head is not None else -1
    sha256, fromhex = hashlib.sha256, bytes.fromhex
    for row_id, at_ms, user, role, action, camera, target, details, stored_prev, stored, signature in values:
        if row_id != prev_id + 1:
            return replace(verdict, finding=Finding.MISSING_ROWS, params={"rows": row_span(prev_id + 1, row_id - 1)},
                           first_bad_row=prev_id + 1)
        if stored_prev != prev_hash:
            return replace(verdict, finding=Finding.BROKEN_LINK, params={"row": row_id, "previous": prev_id},
                           first_bad_row=row_id)
        canonical = _encode([row_id, at_ms, user, role, action, camera, target, details]).encode("utf-8")
        if sha256(fromhex(prev_hash) + canonical).hexdigest() != stored:
            return replace(verdict, finding=Finding.CHANGED_ROW, params={"row": row_id}, first_bad_row=row_id)
        if action == CHECKPOINT_ACTION:
            refused = _refused_checkpoint(row_id, details, stored, signature, key, verdict)
            if refused is not None:
                return refused
            verdict = replace(verdict, last_checkpoint=row_id, last_checkpoint_ms=at_ms)
        elif action == ANOMALY_ACTION:
            return _anomaly(row_id, details, verdict)
        if row_id == head_row:
            head_hash = stored
        prev_hash, prev_id = stored, row_id
    return _Walked(verdict, prev_id, head_hash)


def _refused_checkpoint(row_id: int, details: str, row_hash: str, signature: str | None, key: PublicKey,
                        verdict: TrailVerdict) -> TrailVerdict | None:
    try:
        if key.verify(bytes.fromhex(signature or ""), checkpoint_message(row_hash)):
            return None
    except ValueError:
        pass
    first = (verdict.last_checkpoint or 0) + 1  # rows the last good checkpoint does not vouch for
    named = _json_field(details, "key")
    if named is not None and named != key.fingerprint():
        return replace(verdict, finding=Finding.OTHER_KEY,
                       params={"row": row_id, "found": named, "expected": key.fingerprint()}, first_bad_row=first)
    return replace(verdict, finding=Finding.BAD_SIGNATURE, params={"row": row_id, "first": first},
                   first_bad_row=first)


def _anomaly(row_id: int, details: str, verdict: TrailVerdict) -> TrailVerdict:
    """A row in which the writer noted, at start, that the trail had been cut or extended behind its back: the
    trail stays marked (continuing to sign on top must not launder it)."""
    recorded = _json_field(details, "finding")
    params: dict[str, Any] = {"row": row_id}
    try:
        params["recorded"] = Finding(recorded)
        found = _json_field(details, "params")
        params["recorded_params"] = found if isinstance(found, dict) else {}
    except ValueError:
        params["finding"] = str(recorded)
    return replace(verdict, finding=Finding.ANOMALY_RECORDED, params=params, first_bad_row=row_id)


def _json_field(details: str, name: str) -> Any:
    try:
        value = json.loads(details)
    except ValueError:
        return None
    return value.get(name) if isinstance(value, dict) else None


def _judge_tail(walked: _Walked, head: TrailHead | None, head_name: str, key: PublicKey) -> TrailVerdict:
    verdict, last_id = walked.verdict, walked.last_id
    if head is None:
        if last_id == 0:
            return verdict
        if verdict.last_checkpoint is None:
            return replace(verdict, finding=Finding.NOT_SIGNED, params={"rows": verdict.rows}, first_bad_row=1)
        return replace(verdict, finding=Finding.HEAD_MISSING, params={"path": head_name},
                       first_bad_row=verdict.last_checkpoint + 1)
    if not head.is_signed_by(key):
        return replace(verdict, finding=Finding.HEAD_BAD_SIGNATURE, params={"path": head_name})
    if head.row > last_id:
        return replace(verdict, finding=Finding.TRUNCATED, params={"last": last_id, "head": head.row},
                       first_bad_row=last_id + 1)
    if walked.head_hash != head.hash:
        return replace(verdict, finding=Finding.HEAD_MISMATCH, params={"row": head.row}, first_bad_row=head.row)
    signed = max(head.row, verdict.last_checkpoint or 0)
    if last_id > signed:
        return replace(verdict, finding=Finding.UNSIGNED_TAIL,
                       params={"rows": row_span(signed + 1, last_id), "signed": signed}, first_bad_row=signed + 1)
    return verdict
