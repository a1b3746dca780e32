"""Small pieces shared by several windows: the UTC+7 time editor, drag-and-drop types, JPEG bytes of a
picture, unit names, and the official-form writer (paged PDF, header, signatures, a video's first picture)."""
