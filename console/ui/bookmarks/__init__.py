"""*Đánh dấu*: the bookmark dialog, the bookmarks list, and their places in playback and the alert list."""
