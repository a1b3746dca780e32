"""The recorder (NVR) faces of the simulator: a Hikvision ISAPI face and a Dahua CGI face, each its own HTTP server
with Digest auth and its own RTSP server (live channels and playback from a moment), serving the simulated cameras'
loops as a recorder's recordings, with the faults that real recorders show."""
