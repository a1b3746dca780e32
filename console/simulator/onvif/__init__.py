"""The ONVIF face of the simulated cameras: SOAP device, media, PTZ and event services, WS-Security, unicast
discovery."""
