"""The live wall: tiles, their stream controllers, the feed hand-off, health fan-out, the camera tree."""
