"""Demo and training cameras: an RTSP server with synthetic scenes, live timestamps and fault injection."""
