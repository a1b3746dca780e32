"""The working copy of a received video: H.264 + AAC in MP4, upright, at most 1080p, for viewing; the original
stays untouched beside it. A file that stops well before its stated length is refused as incomplete.

Measured on the 2-core box, a 1080p30 10 s phone-like clip (H.264 at 16 Mbit/s + AAC; decoding alone ~150 fps):
libx264 `ultrafast` 2.5–2.6× real time, `superfast` 2.1×, `veryfast` 1.7×; so `ultrafast` (no B-frames, no
CABAC: a bigger file, decoded cheaply by any player), its threads left to x264. A noise-heavy 65 Mbit/s clip ran
at 1.4× (its decoding alone takes 0.4 s per second of video): such a file takes longer, never blocks the GUI.
Phones store portrait video sideways with a display matrix; players and our thumbnails disagree on honouring it,
so the working copy is turned upright (FFmpeg's transpose filter) and carries no rotation.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import av.audio.stream
import av.container
import av.error
import av.filter
import av.video.stream

from console.incidents.messages import IntakeCancelledError, IntakeRefusedError, Say
from console.incidents.originals import discard
from console.incidents.probe import open_video, picture_stream, stream_duration_ms
from console.incidents.thumbnails import ThumbnailStrip
from console.incidents.video_record import VideoFacts

log = logging.getLogger(__name__)

PRESET = "ultrafast"
CRF = "23"
MAX_LONG_SIDE, MAX_SHORT_SIDE = 1920, 1080
DEFAULT_FPS = Fraction(30)
AUDIO_BITRATE = 128_000
AAC_FRAME_SAMPLES = 1024
AAC_RATES = frozenset({96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000})
FALLBACK_AUDIO_RATE = 48000
DECODE_ERRORS_MAX = 25  # packets the decoder rejects before the file is called damaged
# Incomplete when the pictures stop this much before the stated length (the audio may run a little longer).
SHORT_BY_MS = 500
SHORT_BY_SHARE = 0.03

Fraction01 = Callable[[float], None]
Cancelled = Callable[[], bool]
if TYPE_CHECKING:
    _Packet = av.Packet[Any]  # generic in PyAV's stubs only
_UPRIGHT_FILTERS = {90: (("transpose", "cclock"),), 270: (("transpose", "clock"),),
                    180: (("hflip", None), ("vflip", None))}


@dataclass(frozen=True)
class WorkingCopy:
    path: Path
    width: int
    height: int
    frames: int
    duration_ms: int  # as decoded: the last picture's moment plus its duration


def upright_size(facts: VideoFacts) -> tuple[int, int]:
    """The working copy's picture size: turned upright, fitted in 1920×1080 (either way round), even."""
    width, height = (facts.height, facts.width) if facts.rotation in (90, 270) else (facts.width, facts.height)
    long_side, short_side = max(width, height), min(width, height)
    scale = min(1.0, MAX_LONG_SIDE / long_side, MAX_SHORT_SIDE / short_side)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def make_working_copy(source: Path, target: Path, facts: VideoFacts, name: str, progress: Fraction01,
                      cancelled: Cancelled, thumbnails: ThumbnailStrip | None = None) -> WorkingCopy:
    """Decode `source` (the station's copy of the original) and write `target`; nothing is left at `target` when
    this raises (refused, failed or cancelled)."""
    part = target.with_name(target.name + ".part")
    try:
        with open_video(source, name) as container:
            made = _Transcode(container, facts, name, progress, cancelled, thumbnails).run(part)
        os.replace(part, target)
    except BaseException:
        discard(part)
        raise
    return WorkingCopy(target, made.width, made.height, made.frames, made.duration_ms)


class _Upright:
    """Turns pictures by the display rotation through FFmpeg's filters (a graph per picture format)."""

    def __init__(self, rotation: int) -> None:
        self._filters = _UPRIGHT_FILTERS.get(rotation, ())
        self._graph: av.filter.Graph | None = None
        self._shape: tuple[int, int, str] | None = None

    def __call__(self, frame: av.VideoFrame) -> av.VideoFrame:
        if not self._filters:
            return frame
        shape = (frame.width, frame.height, frame.format.name)
        if self._graph is None or shape != self._shape:
            self._graph, self._shape = self._build(frame), shape
        self._graph.push(frame)
        turned = self._graph.pull()
        assert isinstance(turned, av.VideoFrame)
        return turned

    def _build(self, frame: av.VideoFrame) -> av.filter.Graph:
        graph = av.filter.Graph()
        last = graph.add_buffer(width=frame.width, height=frame.height, format=frame.format,
                                time_base=frame.time_base)
        for filter_name, argument in self._filters:
            node = graph.add(filter_name, argument)
            last.link_to(node)
            last = node
        sink = graph.add("buffersink")
        last.link_to(sink)
        graph.configure()
        return graph


class _Transcode:
    def __init__(self, container: av.container.InputContainer, facts: VideoFacts, name: str, progress: Fraction01,
                 cancelled: Cancelled, thumbnails: ThumbnailStrip | None) -> None:
        self.container = container
        self.facts = facts
        self.name = name
        self.progress = progress
        self.cancelled = cancelled
        self.thumbnails = thumbnails
        self.video = picture_stream(container, name)
        self.video.thread_type = "AUTO"  # frame and slice threads: a file, not a live stream (no latency cost)
        self.audio = container.streams.audio[0] if container.streams.audio else None
        self.time_base = self.video.time_base or Fraction(1, 90000)
        rate = self.video.average_rate or self.video.guessed_rate or DEFAULT_FPS
        self.rate = Fraction(rate)
        self.frame_ticks = max(1, round(1 / (self.rate * self.time_base)))
        start_s = container.start_time / 1_000_000 if container.start_time is not None else 0.0
        self.start_s = start_s
        self.start_ticks = round(start_s / self.time_base)
        self.upright = _Upright(facts.rotation)
        self.width, self.height = upright_size(facts)
        self.frames = 0
        self.last_pts: int | None = None
        self.errors = 0
        self.duration_ms = facts.duration_ms or 0
        self.size = max(1, Path(container.name).stat().st_size)

    @property
    def decoded_ms(self) -> int:
        if self.last_pts is None:
            return 0
        return round((self.last_pts + self.frame_ticks) * self.time_base * 1000)

    def run(self, part: Path) -> _Transcode:
        try:
            with av.open(str(part), "w", format="mp4", options={"movflags": "+faststart"}) as output:
                encoder = self._video_encoder(output)
                audio = self._audio_path(output)
                for packet in self._packets():
                    if packet.stream is self.video:
                        self._pictures(output, encoder, packet)
                    elif audio is not None:
                        audio.feed(output, packet)
                self._pictures(output, encoder, None)
                if audio is not None:
                    audio.feed(output, None)
                output.mux(encoder.encode(None))
        except av.error.FFmpegError as exc:
            log.warning("working copy of %s failed", self.name, exc_info=True)
            raise IntakeRefusedError(Say.WORKING_COPY_FAILED, name=self.name, reason=str(exc)) from exc
        self._refuse_incomplete()
        return self

    def _video_encoder(self, output: av.container.OutputContainer) -> av.video.stream.VideoStream:
        stream = output.add_stream("libx264", rate=self.rate)
        stream.width, stream.height, stream.pix_fmt = self.width, self.height, "yuv420p"
        stream.time_base = self.time_base
        stream.codec_context.time_base = self.time_base
        stream.options = {"preset": PRESET, "crf": CRF}
        return stream

    def _audio_path(self, output: av.container.OutputContainer) -> _AudioPath | None:
        if self.audio is None:
            return None
        try:
            return _AudioPath(self.audio, output, self.start_s)
        except (av.error.FFmpegError, ValueError):
            log.warning("%s: sound not copied to the working copy", self.name, exc_info=True)
            return None

    def _packets(self) -> Iterator[_Packet]:
        """The file's packets; a read error ends them (what was read is then checked against the stated length)."""
        streams = [s for s in (self.video, self.audio) if s is not None]
        packets = self.container.demux(*streams)
        while True:
            if self.cancelled():
                raise IntakeCancelledError(self.name)
            try:
                packet = next(packets)
            except StopIteration:
                return
            except av.error.FFmpegError:
                log.info("%s: reading stopped early", self.name, exc_info=True)
                return
            if packet.size:  # PyAV's empty end-of-file packets: the decoders are flushed once, after the loop
                yield packet

    def _pictures(self, output: av.container.OutputContainer, encoder: av.video.stream.VideoStream,
                  packet: _Packet | None) -> None:
        try:
            frames = self.video.codec_context.decode(packet)
        except av.error.FFmpegError:
            self.errors += 1
            if self.errors > DECODE_ERRORS_MAX:
                raise IntakeRefusedError(Say.DAMAGED, name=self.name) from None
            return
        for frame in frames:
            pts = self._pts(frame)
            if pts is None:
                continue
            picture = self.upright(frame).reformat(width=self.width, height=self.height, format="yuv420p")
            picture.pts, picture.time_base = pts, self.time_base
            output.mux(encoder.encode(picture))
            self.frames += 1
            at_ms = round(pts * self.time_base * 1000)
            if self.thumbnails is not None:
                self.thumbnails.offer(at_ms, picture)
            self._report(at_ms, packet)

    def _pts(self, frame: av.VideoFrame) -> int | None:
        """The picture's moment from the file's start, in the stream's ticks; None to drop a repeated moment."""
        if frame.pts is None:
            pts = 0 if self.last_pts is None else self.last_pts + self.frame_ticks
        else:
            pts = max(0, frame.pts - self.start_ticks)
            if self.last_pts is not None and pts <= self.last_pts:
                return None
        self.last_pts = pts
        return pts

    def _report(self, at_ms: int, packet: _Packet | None) -> None:
        if self.duration_ms > 0:
            self.progress(min(1.0, at_ms / self.duration_ms))
        elif packet is not None and packet.pos is not None and packet.pos >= 0:
            self.progress(min(1.0, packet.pos / self.size))

    def _refuse_incomplete(self) -> None:
        stated = stream_duration_ms(self.video) or self.facts.duration_ms
        if self.frames == 0:
            raise IntakeRefusedError(Say.DAMAGED, name=self.name)
        if stated and self.decoded_ms + max(SHORT_BY_MS, stated * SHORT_BY_SHARE) < stated:
            raise IntakeRefusedError(Say.TRUNCATED, name=self.name, read_s=round(self.decoded_ms / 1000),
                                     duration_s=round(stated / 1000))


class _AudioPath:
    """The sound, decoded and encoded to AAC (mono or stereo, its own rate when AAC has it)."""

    def __init__(self, source: av.audio.stream.AudioStream, output: av.container.OutputContainer,
                 start_s: float) -> None:
        codec = source.codec_context
        self.source = source
        self.rate = codec.sample_rate if codec.sample_rate in AAC_RATES else FALLBACK_AUDIO_RATE
        layout = "mono" if codec.channels == 1 else "stereo"
        self.resampler = av.AudioResampler(format="fltp", layout=layout, rate=self.rate,
                                           frame_size=AAC_FRAME_SAMPLES)
        self.stream = output.add_stream("aac", rate=self.rate)
        self.stream.layout = layout
        self.stream.bit_rate = AUDIO_BITRATE
        self.start_s = start_s
        self.samples: int | None = None
        self.broken = False

    def feed(self, output: av.container.OutputContainer, packet: _Packet | None) -> None:
        if self.broken:
            return
        try:
            decoded = self.source.codec_context.decode(packet)
            frames = [out for frame in decoded for out in self.resampler.resample(frame)]
            if packet is None:
                frames += self.resampler.resample(None)
            for frame in frames:
                if self.samples is None:
                    first = decoded[0].time if decoded and decoded[0].time is not None else self.start_s
                    self.samples = max(0, round((first - self.start_s) * self.rate))
                frame.pts, frame.time_base = self.samples, Fraction(1, self.rate)
                self.samples += frame.samples
                output.mux(self.stream.encode(frame))
            if packet is None:
                output.mux(self.stream.encode(None))
        except av.error.FFmpegError:
            # Damaged sound must not cost the picture: the rest of the working copy is silent (the original keeps it).
            log.warning("sound of %s stopped in the working copy", self.source.container.name, exc_info=True)
            self.broken = True
