"""What a tile and the camera tree say about a stream's health, in the officer's language."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication

from console.core.health import Failure, Phase, Shown, StreamStatus

COLORS = {
    Shown.OFF: "#9e9e9e",
    Shown.CONNECTING: "#f0b400",
    Shown.LIVE: "#2fb344",
    Shown.STALLED: "#f08c00",
    Shown.LOST: "#e03131",
}


def failure_text(failure: Failure | None) -> str:
    texts = {
        Failure.REFUSED: QCoreApplication.translate("Status", "The camera refused the connection"),
        Failure.AUTH: QCoreApplication.translate("Status", "Wrong user name or password"),
        Failure.NOT_FOUND: QCoreApplication.translate("Status", "The camera has no such stream"),
        Failure.TIMEOUT: QCoreApplication.translate("Status", "The camera does not answer"),
        Failure.CLOSED: QCoreApplication.translate("Status", "The camera closed the connection"),
        Failure.BAD_DATA: QCoreApplication.translate("Status", "The camera sent invalid data"),
        Failure.NO_VIDEO: QCoreApplication.translate("Status", "The stream has no video"),
        Failure.OTHER: QCoreApplication.translate("Status", "Connection error"),
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
    path: str = ""  # how the pictures arrive (tooltips only, never painted on the picture)

    @property
    def color(self) -> str:
        return COLORS[self.shown]


def path_text(status: StreamStatus) -> str:
    """Which live path plays the stream and, when FFmpeg took over from the RTP path, why (the technician's
    detail, as the path gave it)."""
    if status.path == "rtp":
        return QCoreApplication.translate("Status", "Received over RTP (pictures one frame sooner)")
    if status.path == "ffmpeg" and status.fallback:
        return QCoreApplication.translate(
            "Status", "Received by FFmpeg: the RTP path cannot play this stream ({reason})").format(
                reason=status.fallback)
    if status.path == "ffmpeg":
        return QCoreApplication.translate("Status", "Received by FFmpeg (ingest = \"ffmpeg\" in the site file)")
    return ""


def describe(status: StreamStatus | None, now: float, site_down: bool = False) -> StatusText:
    """Headline and detail lines for a tile (an empty headline while the picture is live) and the live path."""
    health = _describe_health(status, now, site_down)
    return health if status is None else replace(health, path=path_text(status))


def _describe_health(status: StreamStatus | None, now: float, site_down: bool) -> StatusText:
    if status is None:
        return StatusText(Shown.OFF, "", ())
    shown = status.shown(now)
    if shown is Shown.LIVE or shown is Shown.OFF:
        return StatusText(shown, "", ())
    if shown is Shown.CONNECTING:
        return StatusText(shown, QCoreApplication.translate("Status", "Connecting…"), ())
    if shown is Shown.STALLED:
        age = QCoreApplication.translate("Status", "Last picture {age} s ago").format(age=int(status.frame_age(now)))
        return StatusText(shown, QCoreApplication.translate("Status", "Frozen picture"), (age,))
    if site_down:
        headline = QCoreApplication.translate("Status", "Whole site offline")
    else:
        headline = QCoreApplication.translate("Status", "Offline")
    lines = [QCoreApplication.translate("Status", "Lost for {time}").format(time=duration(status.outage(now)))]
    if status.phase is Phase.HALTED:
        if status.failure is Failure.AUTH:
            lines.append(QCoreApplication.translate(
                "Status", "Wrong user name or password — stopped trying so the camera does not lock the account"))
        else:
            lines.append(failure_text(status.failure))
        lines.append(QCoreApplication.translate("Status", "Right-click → Retry"))
        return StatusText(shown, headline, tuple(line for line in lines if line))
    reason = failure_text(status.failure)
    if reason:
        lines.append(reason)
    countdown = status.countdown(now)
    if countdown is None or countdown <= 0:
        lines.append(QCoreApplication.translate("Status", "Reconnecting…"))
    else:
        text = QCoreApplication.translate("Status", "Reconnecting in {seconds} s")
        lines.append(text.format(seconds=max(1, round(countdown))))
    return StatusText(shown, headline, tuple(lines))


def describe_shown(shown: Shown) -> str:
    """One word or two for a state (map tooltips)."""
    return {
        Shown.OFF: QCoreApplication.translate("Status", "Not connected yet"),
        Shown.CONNECTING: QCoreApplication.translate("Status", "Connecting…"),
        Shown.LIVE: QCoreApplication.translate("Status", "Online"),
        Shown.STALLED: QCoreApplication.translate("Status", "Frozen picture"),
        Shown.LOST: QCoreApplication.translate("Status", "Offline"),
    }[shown]
