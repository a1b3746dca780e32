"""The ONVIF face of the simulated cameras: SOAP device and media services, WS-Security, unicast discovery."""
