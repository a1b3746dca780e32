#!/usr/bin/env bash
# Runs every check: ruff, mypy --strict on console/, the translation check, and the whole pytest suite
# (real RTSP servers on 127.0.0.1, real window on a virtual screen). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "== ruff";  .venv/bin/ruff check console tests benchmarks scripts packaging
echo "== mypy";  .venv/bin/mypy
echo "== i18n";  .venv/bin/python scripts/i18n.py check
echo "== pytest"
export PYTHONFAULTHANDLER=1
if [[ -z "${DISPLAY:-}" ]]; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m pytest -p no:cacheprovider "$@"
fi
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
