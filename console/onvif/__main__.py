"""`python -m console.onvif discover …` (see console/onvif/cli.py)."""

import sys

from console.onvif.cli import main

sys.exit(main())
