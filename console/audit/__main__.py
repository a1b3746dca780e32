"""`python -m console.audit verify …`: see console/audit/cli.py."""

from console.audit.cli import main

raise SystemExit(main())
