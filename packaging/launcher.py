"""Entry point of the frozen bundle (PyInstaller needs a script, not `-m console`)."""

import sys

from console.__main__ import main

sys.exit(main())
