"""Playback of recordings: the window, synchronized companions, the timeline, the calendar, evidence export."""
