"""`python -m console.config check FILE`: the documented entry point; the tool is console/cli/config_check.py."""

from __future__ import annotations

import sys

from console.cli.config_check import main

if __name__ == "__main__":
    sys.exit(main())
