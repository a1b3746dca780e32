"""What `verify` concludes about a trail: the contract of `python -m console.audit verify --json`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from console.audit.messages import CANNOT_CHECK, Finding, render, render_verified
from console.core.vntime import format_vn_ms


@dataclass(frozen=True)
class TrailVerdict:
    rows: int
    finding: Finding | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    first_bad_row: int | None = None
    last_checkpoint: int | None = None  # the last checkpoint whose signature was checked before any problem
    last_checkpoint_ms: int | None = None
    fingerprint: str | None = None  # of the key the signatures were checked against

    @property
    def ok(self) -> bool:
        return self.finding is None

    @property
    def checked(self) -> bool:
        """False when the trail could not be read or checked at all (no file, no table, no key)."""
        return self.finding not in CANNOT_CHECK

    def reason(self, lang: str = "vi") -> str | None:
        if self.finding is None:
            return None
        params = dict(self.params)
        inner = params.pop("recorded", None)
        if isinstance(inner, Finding):  # an anomaly row: the console's own finding, in the same language
            params["finding"] = render(inner, lang, params.pop("recorded_params", {}))
        return render(self.finding, lang, params)

    def summary(self, lang: str = "vi") -> str:
        return self.reason(lang) or render_verified(lang, {"rows": self.rows, "checkpoint": self.last_checkpoint,
                                                           "fingerprint": self.fingerprint})

    def to_json(self) -> dict[str, Any]:
        at = self.last_checkpoint_ms
        return {"rows": self.rows, "ok": self.ok, "first_bad_row": self.first_bad_row,
                "reason": self.reason("en"), "reason_vi": self.reason("vi"),
                "finding": self.finding.value if self.finding else None,
                "last_checkpoint": self.last_checkpoint,
                "last_checkpoint_at": f"{format_vn_ms(at)} (UTC+7)" if at is not None else None,
                "key_fingerprint": self.fingerprint}
