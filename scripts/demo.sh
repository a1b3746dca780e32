#!/usr/bin/env bash
# Starts the console on the built-in demo commune (Gia Đông) with simulated cameras.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "demo: no display found, running on a virtual screen (Xvfb)"
  exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/camera-console --demo "$@"
fi
exec .venv/bin/camera-console --demo "$@"
