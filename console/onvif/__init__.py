"""The console's adapter over the ONVIF library (onvif-zeep-async): discovery, device, media, clock.

Nothing here imports Qt, and importing this package loads no SOAP machinery: the library (slow to import, with
side effects on logging and the environment) is loaded on first use by `console.onvif.library` only.
"""
