"""Media threads, no widgets: RTSP ingest and fan-out, display decoding, stream health."""
