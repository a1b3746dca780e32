"""`python -m console.evidence …`: see console/evidence/cli.py."""

from console.evidence.cli import main

raise SystemExit(main())
