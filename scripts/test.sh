#!/usr/bin/env bash
# Runs every check: ruff, mypy --strict on console/, the translation check, and the whole pytest suite
# (real RTSP servers on 127.0.0.1, real window on a virtual screen). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "== ruff";  .venv/bin/ruff check console tests benchmarks scripts packaging
echo "== mypy";  .venv/bin/mypy
echo "== i18n";  .venv/bin/python scripts/i18n.py check
export PYTHONFAULTHANDLER=1
# The suite's own Qt runs offscreen; the console processes it starts and the onscreen pass use the X server.
run() {
  if [[ -z "${DISPLAY:-}" ]]; then
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m pytest -p no:cacheprovider "$@"
  else
    .venv/bin/python -m pytest -p no:cacheprovider "$@"
  fi
}
echo "== pytest"
run "$@"
echo "== pytest --onscreen (the tests that read the X server's screen)"
run --onscreen -m onscreen "$@" || [[ $? -eq 5 ]]  # 5: the paths given hold no onscreen test
