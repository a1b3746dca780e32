"""Qt widgets only: main window, camera tree, (later) live wall, map, alerts and playback."""
