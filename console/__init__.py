"""Commune camera console: live wall, map, alerts and playback for a commune police station."""

__version__ = "0.1.0"
