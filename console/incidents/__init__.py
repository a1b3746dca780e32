"""Vụ việc (issue 21, points 1 and 2): incidents gathering alerts, recordings, snapshots, plates and citizens'
videos, with their append-only notes, and the intake of a citizen's video. No Qt: the UI calls the blocking
parts (intake) from a worker thread."""
