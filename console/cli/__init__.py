"""The console's command-line tools: `python -m console.config check`, `--import-credentials`, `--self-test`.

The first two run on a technician's machine before anything graphical works: they import no Qt.
"""
