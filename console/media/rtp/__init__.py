"""The live path that closes a picture on the RTP marker bit (issue 17): RTP depacketization of H.264 and H.265
into access units, without waiting for the next frame as FFmpeg's RTSP demuxer does."""
