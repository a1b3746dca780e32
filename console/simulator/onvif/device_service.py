"""The ONVIF device service (tds) of a simulated camera: identity, clock, capabilities, services, network."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from console.simulator.onvif.addresses import DEVICE_PATH
from console.simulator.onvif.clock import DateTimeType, NtpServer, is_posix_tz
from console.simulator.onvif.soap import (
    TDS,
    TEV,
    TPTZ,
    TRT,
    TT,
    Envelope,
    FaultCode,
    SoapFaultError,
    element,
    invalid_arg,
    sub,
    tag,
    text_of,
    xs_bool,
)
from console.simulator.onvif.state import ONVIF_VERSION, CameraState, Operation, Operations, ServiceInfo

NETWORK_HOST_TYPES = {"IPv4": "IPv4Address", "IPv6": "IPv6Address", "DNS": "DNSname"}
CAPABILITY_CATEGORIES = {"All", "Analytics", "Device", "Events", "Imaging", "Media", "PTZ"}


class DeviceService:
    """Answers the tds operations from the camera's state; Set* operations change that state."""

    def __init__(self, state: CameraState) -> None:
        self.state = state

    def info(self) -> ServiceInfo:
        return ServiceInfo(TDS, DEVICE_PATH, self._service_capabilities)

    def operations(self) -> Operations:
        ops = {"GetSystemDateAndTime": Operation(self.get_system_date_and_time, public=True),
               "SetSystemDateAndTime": Operation(self.set_system_date_and_time),
               "GetDeviceInformation": Operation(self.get_device_information),
               "GetCapabilities": Operation(self.get_capabilities),
               "GetServices": Operation(self.get_services),
               "GetServiceCapabilities": Operation(self.get_service_capabilities),
               "GetNetworkInterfaces": Operation(self.get_network_interfaces),
               "GetScopes": Operation(self.get_scopes),
               "GetHostname": Operation(self.get_hostname),
               "GetNTP": Operation(self.get_ntp),
               "SetNTP": Operation(self.set_ntp)}
        return {tag(TDS, name): op for name, op in ops.items()}

    # -- clock --------------------------------------------------------------------------------------
    def get_system_date_and_time(self, _: Envelope) -> ET.Element:
        clock = self.state.clock
        response = element(TDS, "GetSystemDateAndTimeResponse")
        info = sub(response, TDS, "SystemDateAndTime")
        sub(info, TT, "DateTimeType", clock.date_time_type.value)
        sub(info, TT, "DaylightSavings", xs_bool(clock.daylight_savings))
        sub(sub(info, TT, "TimeZone"), TT, "TZ", clock.tz)
        utc = clock.now()
        _date_time(sub(info, TT, "UTCDateTime"), utc)
        _date_time(sub(info, TT, "LocalDateTime"), clock.local(utc))
        return response

    def set_system_date_and_time(self, request: Envelope) -> ET.Element:
        op, clock = request.operation, self.state.clock
        try:
            kind = DateTimeType(text_of(op, (TDS, "DateTimeType")) or "")
        except ValueError:
            raise invalid_arg("InvalidDateTime", "DateTimeType must be Manual or NTP") from None
        tz = text_of(op, (TDS, "TimeZone"), (TT, "TZ"))
        if tz is not None and not is_posix_tz(tz):
            raise invalid_arg("InvalidTimeZone", "the TZ is not a POSIX time zone string")
        utc = _read_date_time(op.find(tag(TDS, "UTCDateTime")))
        if kind is DateTimeType.MANUAL:
            if utc is None:
                raise invalid_arg("InvalidDateTime", "a Manual setting needs a UTCDateTime")
            clock.set_utc(utc)
        clock.date_time_type = kind  # NTP: recorded; the simulator has no NTP server to follow
        clock.daylight_savings = text_of(op, (TDS, "DaylightSavings")) == "true"
        if tz is not None:
            clock.tz = tz
        return element(TDS, "SetSystemDateAndTimeResponse")

    def get_ntp(self, _: Envelope) -> ET.Element:
        clock = self.state.clock
        response = element(TDS, "GetNTPResponse")
        info = sub(response, TDS, "NTPInformation")
        sub(info, TT, "FromDHCP", xs_bool(clock.ntp_from_dhcp))
        for server in clock.ntp_servers:
            host = sub(info, TT, "NTPManual")
            sub(host, TT, "Type", server.kind)
            sub(host, TT, NETWORK_HOST_TYPES[server.kind], server.address)
        return response

    def set_ntp(self, request: Envelope) -> ET.Element:
        servers = []
        for host in request.operation.findall(tag(TDS, "NTPManual")):
            kind = text_of(host, (TT, "Type")) or ""
            address = text_of(host, (TT, NETWORK_HOST_TYPES.get(kind, "")))
            if kind not in NETWORK_HOST_TYPES or not address:
                raise invalid_arg("InvalidNetworkHost", "an NTP server needs a Type and its address")
            servers.append(NtpServer(kind, address))
        self.state.clock.ntp_from_dhcp = text_of(request.operation, (TDS, "FromDHCP")) == "true"
        self.state.clock.ntp_servers = tuple(servers)
        return element(TDS, "SetNTPResponse")

    # -- who and where ------------------------------------------------------------------------------
    def get_device_information(self, _: Envelope) -> ET.Element:
        who = self.state.identity
        response = element(TDS, "GetDeviceInformationResponse")
        for name, value in (("Manufacturer", who.manufacturer), ("Model", who.model),
                            ("FirmwareVersion", who.firmware), ("SerialNumber", who.serial),
                            ("HardwareId", who.hardware_id)):
            sub(response, TDS, name, value)
        return response

    def get_network_interfaces(self, _: Envelope) -> ET.Element:
        response = element(TDS, "GetNetworkInterfacesResponse")
        nic = sub(response, TDS, "NetworkInterfaces", token="eth0")
        sub(nic, TT, "Enabled", "true")
        info = sub(nic, TT, "Info")
        sub(info, TT, "Name", "eth0")
        sub(info, TT, "HwAddress", self.state.identity.mac)
        sub(info, TT, "MTU", "1500")
        ipv4 = sub(nic, TT, "IPv4")
        sub(ipv4, TT, "Enabled", "true")
        config = sub(ipv4, TT, "Config")
        manual = sub(config, TT, "Manual")
        sub(manual, TT, "Address", self.state.spec.host)
        sub(manual, TT, "PrefixLength", "8" if self.state.spec.host.startswith("127.") else "24")
        sub(config, TT, "DHCP", "false")
        return response

    def get_scopes(self, _: Envelope) -> ET.Element:
        response = element(TDS, "GetScopesResponse")
        for uri in self.state.scopes():
            scope = sub(response, TDS, "Scopes")
            sub(scope, TT, "ScopeDef", "Fixed")
            sub(scope, TT, "ScopeItem", uri)
        return response

    def get_hostname(self, _: Envelope) -> ET.Element:
        response = element(TDS, "GetHostnameResponse")
        info = sub(response, TDS, "HostnameInformation")
        sub(info, TT, "FromDHCP", "false")
        sub(info, TT, "Name", self.state.identity.hostname)
        return response

    # -- what it offers -----------------------------------------------------------------------------
    def get_services(self, request: Envelope) -> ET.Element:
        with_capabilities = text_of(request.operation, (TDS, "IncludeCapability")) == "true"
        response = element(TDS, "GetServicesResponse")
        for service in self.state.services:
            entry = sub(response, TDS, "Service")
            sub(entry, TDS, "Namespace", service.namespace)
            sub(entry, TDS, "XAddr", self.state.xaddr(service.path))
            if with_capabilities:
                sub(entry, TDS, "Capabilities").append(service.capabilities())
            _version(sub(entry, TDS, "Version"))
        return response

    def get_service_capabilities(self, _: Envelope) -> ET.Element:
        response = element(TDS, "GetServiceCapabilitiesResponse")
        response.append(self._service_capabilities())
        return response

    def _service_capabilities(self) -> ET.Element:
        capabilities = element(TDS, "Capabilities")
        sub(capabilities, TDS, "Network", IPFilter="false", ZeroConfiguration="false", IPVersion6="false",
            DynDNS="false", HostnameFromDHCP="false", NTP="1")
        sub(capabilities, TDS, "Security", UsernameToken="true", HttpDigest="false", **{"TLS1.2": "false"})
        sub(capabilities, TDS, "System", DiscoveryResolve="false", DiscoveryBye="false", RemoteDiscovery="false",
            SystemBackup="false", SystemLogging="false", FirmwareUpgrade="false")
        return capabilities

    def get_capabilities(self, request: Envelope) -> ET.Element:
        asked = {(c.text or "").strip() for c in request.operation.findall(tag(TDS, "Category"))} or {"All"}
        if not asked <= CAPABILITY_CATEGORIES:
            raise invalid_arg("InvalidCategory", "unknown capability category")
        media_service, events_service, ptz_service = (self.state.service(ns) for ns in (TRT, TEV, TPTZ))
        offered = {"Device"} | {name for name, service in (("Media", media_service), ("Events", events_service),
                                                             ("PTZ", ptz_service)) if service is not None}
        if "All" not in asked and not asked <= offered:
            raise SoapFaultError(FaultCode.RECEIVER, ("ActionNotSupported", "NoSuchService"),
                            "the camera has no such service")
        response = element(TDS, "GetCapabilitiesResponse")
        capabilities = sub(response, TDS, "Capabilities")  # tt:Capabilities' children in the schema's order
        if asked & {"All", "Device"}:
            self._device_capabilities(sub(capabilities, TT, "Device"))
        if events_service is not None and asked & {"All", "Events"}:
            events = sub(capabilities, TT, "Events")
            sub(events, TT, "XAddr", self.state.xaddr(events_service.path))
            for name, value in (("WSSubscriptionPolicySupport", "false"), ("WSPullPointSupport", "true"),
                                ("WSPausableSubscriptionManagerInterfaceSupport", "false")):
                sub(events, TT, name, value)
        if media_service is not None and asked & {"All", "Media"}:
            media = sub(capabilities, TT, "Media")
            sub(media, TT, "XAddr", self.state.xaddr(media_service.path))
            streaming = sub(media, TT, "StreamingCapabilities")
            for name, value in (("RTPMulticast", "false"), ("RTP_TCP", "true"), ("RTP_RTSP_TCP", "true")):
                sub(streaming, TT, name, value)
        if ptz_service is not None and asked & {"All", "PTZ"}:
            sub(sub(capabilities, TT, "PTZ"), TT, "XAddr", self.state.xaddr(ptz_service.path))
        return response

    def _device_capabilities(self, device: ET.Element) -> None:
        sub(device, TT, "XAddr", self.state.xaddr(DEVICE_PATH))
        network = sub(device, TT, "Network")
        for name in ("IPFilter", "ZeroConfiguration", "IPVersion6", "DynDNS"):
            sub(network, TT, name, "false")
        system = sub(device, TT, "System")
        for name in ("DiscoveryResolve", "DiscoveryBye", "RemoteDiscovery", "SystemBackup", "SystemLogging",
                     "FirmwareUpgrade"):
            sub(system, TT, name, "false")
        _version(sub(system, TT, "SupportedVersions"))
        security = sub(device, TT, "Security")
        for name in ("TLS1.1", "TLS1.2", "OnboardKeyGeneration", "AccessPolicyConfig", "X.509Token", "SAMLToken",
                     "KerberosToken", "RELToken"):
            sub(security, TT, name, "false")


def _version(parent: ET.Element) -> None:
    major, minor = ONVIF_VERSION
    sub(parent, TT, "Major", str(major))
    sub(parent, TT, "Minor", str(minor))


def _date_time(parent: ET.Element, moment: datetime) -> None:
    """tt:DateTime: Time before Date, as the schema orders them."""
    time = sub(parent, TT, "Time")
    for name, value in (("Hour", moment.hour), ("Minute", moment.minute), ("Second", moment.second)):
        sub(time, TT, name, str(value))
    date = sub(parent, TT, "Date")
    for name, value in (("Year", moment.year), ("Month", moment.month), ("Day", moment.day)):
        sub(date, TT, name, str(value))


def _read_date_time(node: ET.Element | None) -> datetime | None:
    if node is None:
        return None
    fields = {}
    for group, names in (("Date", ("Year", "Month", "Day")), ("Time", ("Hour", "Minute", "Second"))):
        for name in names:
            fields[name] = text_of(node, (TT, group), (TT, name)) or ""
    try:
        year, month, day, hour, minute, second = (int(fields[n]) for n in
                                                  ("Year", "Month", "Day", "Hour", "Minute", "Second"))
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        raise invalid_arg("InvalidDateTime", "the UTCDateTime is not a valid date and time") from None
