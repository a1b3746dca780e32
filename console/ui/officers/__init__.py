"""The officers' screens: the login and lock screen, the first admin, the users editor, one's own password."""
