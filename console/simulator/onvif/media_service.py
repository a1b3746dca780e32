"""The ONVIF Media1 service (trt) of a simulated camera: its main and sub profiles and their RTSP addresses.

Media1's VideoEncoding knows only JPEG, MPEG4 and H264; an H.265 camera is reported as "H265" there, as the
Hikvision-class firmware does, and the console reads the codec from the stream itself.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from console.simulator.onvif.addresses import MEDIA_PATH
from console.simulator.onvif.ptz_service import CONFIGURATION_TOKEN, write_configuration
from console.simulator.onvif.soap import TPTZ, TRT, TT, Envelope, element, invalid_arg, sub, tag, text_of
from console.simulator.onvif.state import CameraState, MediaStream, Operation, Operations, ServiceInfo
from console.simulator.rtp import Codec

VIDEO_SOURCE = "VideoSource_1"
VIDEO_SOURCE_CONFIG = "VideoSourceToken"
SESSION_TIMEOUT = "PT60S"  # the RTSP face's session timeout
STREAM_TYPES = {"RTP-Unicast"}  # the simulator sends no multicast
TRANSPORTS = {"UDP", "TCP", "RTSP"}  # all reached through the one RTSP address; HTTP tunnelling is not offered


class MediaService:
    def __init__(self, state: CameraState) -> None:
        self.state = state

    def info(self) -> ServiceInfo:
        return ServiceInfo(TRT, MEDIA_PATH, self._service_capabilities)

    def operations(self) -> Operations:
        ops = {"GetProfiles": self.get_profiles, "GetProfile": self.get_profile,
               "GetVideoSources": self.get_video_sources, "GetStreamUri": self.get_stream_uri,
               "GetServiceCapabilities": self.get_service_capabilities}
        return {tag(TRT, name): Operation(handler) for name, handler in ops.items()}

    def get_profiles(self, _: Envelope) -> ET.Element:
        response = element(TRT, "GetProfilesResponse")
        for stream in self.state.spec.streams:
            self._profile(sub(response, TRT, "Profiles", token=stream.token, fixed="true"), stream)
        return response

    def get_profile(self, request: Envelope) -> ET.Element:
        stream = self._stream(request)
        response = element(TRT, "GetProfileResponse")
        self._profile(sub(response, TRT, "Profile", token=stream.token, fixed="true"), stream)
        return response

    def get_video_sources(self, _: Envelope) -> ET.Element:
        main = self.state.spec.streams[0]
        response = element(TRT, "GetVideoSourcesResponse")
        source = sub(response, TRT, "VideoSources", token=VIDEO_SOURCE)
        sub(source, TT, "Framerate", str(float(main.fps)))
        _resolution(sub(source, TT, "Resolution"), main)
        return response

    def get_stream_uri(self, request: Envelope) -> ET.Element:
        setup = (TRT, "StreamSetup")
        kind = text_of(request.operation, setup, (TT, "Stream"))
        transport = text_of(request.operation, setup, (TT, "Transport"), (TT, "Protocol"))
        if kind not in STREAM_TYPES or transport not in TRANSPORTS:
            raise invalid_arg("InvalidStreamSetup", "only RTP-Unicast over UDP, TCP or RTSP is offered")
        stream = self._stream(request)
        response = element(TRT, "GetStreamUriResponse")
        uri = sub(response, TRT, "MediaUri")
        sub(uri, TT, "Uri", stream.url)
        sub(uri, TT, "InvalidAfterConnect", "false")
        sub(uri, TT, "InvalidAfterReboot", "false")
        sub(uri, TT, "Timeout", "PT0S")
        return response

    def get_service_capabilities(self, _: Envelope) -> ET.Element:
        response = element(TRT, "GetServiceCapabilitiesResponse")
        response.append(self._service_capabilities())
        return response

    def _service_capabilities(self) -> ET.Element:
        capabilities = element(TRT, "Capabilities", SnapshotUri="false", Rotation="false")
        sub(capabilities, TRT, "ProfileCapabilities", MaximumNumberOfProfiles=str(len(self.state.spec.streams)))
        sub(capabilities, TRT, "StreamingCapabilities", RTPMulticast="false", RTP_TCP="true", RTP_RTSP_TCP="true")
        return capabilities

    def _stream(self, request: Envelope) -> MediaStream:
        token = text_of(request.operation, (TRT, "ProfileToken")) or ""
        stream = self.state.stream(token)
        if stream is None:
            raise invalid_arg("NoProfile", "no profile with this token")
        return stream

    def _profile(self, profile: ET.Element, stream: MediaStream) -> None:
        main = self.state.spec.streams[0]
        number = self.state.spec.streams.index(stream) + 1
        sub(profile, TT, "Name", stream.name)
        source = sub(profile, TT, "VideoSourceConfiguration", token=VIDEO_SOURCE_CONFIG)
        sub(source, TT, "Name", "VideoSourceConfig")
        sub(source, TT, "UseCount", str(len(self.state.spec.streams)))
        sub(source, TT, "SourceToken", VIDEO_SOURCE)
        sub(source, TT, "Bounds", x="0", y="0", width=str(main.width), height=str(main.height))
        encoder = sub(profile, TT, "VideoEncoderConfiguration", token=f"VideoEncoderToken_{number}")
        sub(encoder, TT, "Name", f"VideoEncoder_{number}")
        sub(encoder, TT, "UseCount", "1")
        sub(encoder, TT, "Encoding", "H265" if stream.codec is Codec.H265 else "H264")
        _resolution(sub(encoder, TT, "Resolution"), stream)
        sub(encoder, TT, "Quality", "3")
        rate = sub(encoder, TT, "RateControl")
        sub(rate, TT, "FrameRateLimit", str(stream.fps))
        sub(rate, TT, "EncodingInterval", "1")
        sub(rate, TT, "BitrateLimit", str(stream.bitrate_kbps))
        if stream.codec is Codec.H264:
            h264 = sub(encoder, TT, "H264")
            sub(h264, TT, "GovLength", str(stream.gov_length))
            sub(h264, TT, "H264Profile", "Baseline")  # x264's ultrafast preset: no CABAC, no B-frames
        multicast = sub(encoder, TT, "Multicast")
        address = sub(multicast, TT, "Address")
        sub(address, TT, "Type", "IPv4")
        sub(address, TT, "IPv4Address", "0.0.0.0")
        for name, value in (("Port", "0"), ("TTL", "0"), ("AutoStart", "false")):
            sub(multicast, TT, name, value)
        sub(encoder, TT, "SessionTimeout", SESSION_TIMEOUT)
        if self.state.service(TPTZ) is not None:  # tt:Profile: PTZConfiguration comes after the encoder's
            write_configuration(sub(profile, TT, "PTZConfiguration", token=CONFIGURATION_TOKEN),
                                len(self.state.spec.streams))


def _resolution(parent: ET.Element, stream: MediaStream) -> None:
    sub(parent, TT, "Width", str(stream.width))
    sub(parent, TT, "Height", str(stream.height))
