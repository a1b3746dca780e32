"""The alarm list's dialogs and reports."""
