"""What a tile and the camera tree say about a stream's health, in the officer's language."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from console.core.health import Failure, Shown, StreamStatus

COLORS = {
    Shown.OFF: "#9e9e9e",
    Shown.CONNECTING: "#f0b400",
    Shown.LIVE: "#2fb344",
    Shown.STALLED: "#f08c00",
    Shown.LOST: "#e03131",
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Status", text)


def failure_text(failure: Failure | None) -> str:
    texts = {
        Failure.REFUSED: _t("The camera refused the connection"),
        Failure.AUTH: _t("Wrong user name or password"),
        Failure.NOT_FOUND: _t("The camera has no such stream"),
        Failure.TIMEOUT: _t("The camera does not answer"),
        Failure.CLOSED: _t("The camera closed the connection"),
        Failure.BAD_DATA: _t("The camera sent invalid data"),
        Failure.NO_VIDEO: _t("The stream has no video"),
        Failure.OTHER: _t("Connection error"),
    }
    return texts.get(failure, "") if failure is not None else ""


def duration(seconds: float) -> str:
    """`m:ss` under an hour, `h:mm:ss` after."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class StatusText:
    shown: Shown
    headline: str
    lines: tuple[str, ...]

    @property
    def color(self) -> str:
        return COLORS[self.shown]


def describe(status: StreamStatus | None, now: float, site_down: bool = False) -> StatusText:
    """Headline and detail lines for a tile; empty headline while the picture is live."""
    if status is None:
        return StatusText(Shown.OFF, "", ())
    shown = status.shown(now)
    if shown is Shown.LIVE or shown is Shown.OFF:
        return StatusText(shown, "", ())
    if shown is Shown.CONNECTING:
        return StatusText(shown, _t("Connecting…"), ())
    if shown is Shown.STALLED:
        age = _t("Last picture {age} s ago").format(age=int(status.frame_age(now)))
        return StatusText(shown, _t("Frozen picture"), (age,))
    headline = _t("Whole site offline") if site_down else _t("Offline")
    lines = [_t("Lost for {time}").format(time=duration(status.outage(now)))]
    reason = failure_text(status.failure)
    if reason:
        lines.append(reason)
    countdown = status.countdown(now)
    if countdown is None or countdown <= 0:
        lines.append(_t("Reconnecting…"))
    else:
        lines.append(_t("Reconnecting in {seconds} s").format(seconds=max(1, round(countdown))))
    return StatusText(shown, headline, tuple(lines))
