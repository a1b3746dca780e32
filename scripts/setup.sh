#!/usr/bin/env bash
# Installs what the console and its tests need on Debian 12 (apt packages, .venv, compiled translations).
# Safe to run again: it installs only what is missing. Used by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv                                   # the venv
  libvlc5 vlc-plugin-base vlc-plugin-video-output  # playback (python-vlc) and its X11 video output
  xvfb xauth x11-utils                           # a screen when there is none
  fonts-noto-core fonts-dejavu-core              # Vietnamese glyphs in the UI and the simulator
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1                                    # Qt's xcb platform plugin
)
if [[ "${1:-}" == "--test" ]]; then
  APT_PACKAGES+=(
    ffmpeg                                       # ffprobe/ffplay as independent RTSP clients
    xdotool                                      # the latency benchmark drags cameras with a real X mouse
    python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-rtsp-server-1.0 gstreamer1.0-tools
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
    gstreamer1.0-plugins-ugly gstreamer1.0-libav # GStreamer's RTSP server and rtspsrc client
    gstreamer1.0-x                               # ximagesink: the latency benchmark's GStreamer peer
    libvlc-bin binutils desktop-file-utils nsis  # packaging: vlc-cache-gen, readelf, .desktop check, makensis
    wine64                                       # runs the Windows installer and uninstaller in a test
    debootstrap                                  # a clean Debian root to install the .deb into
    poppler-utils                                # pdftotext/pdfinfo read the shift report back
    mosquitto mosquitto-clients                  # the province uplink's broker, started by the tests on 127.0.0.1
    rabbitmq-server                              # its clustered alternative (MQTT plugin), also test-started
  )
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  # Packages that ship a service (mosquitto, rabbitmq-server) must not start it: the tests run their own brokers
  # on 127.0.0.1 and a system one would listen on every address. A policy-rc.d that exits 101 tells invoke-rc.d
  # "not now"; one already in place (containers ship it) is left as it is.
  POLICY=/usr/sbin/policy-rc.d; OWN_POLICY=""
  if [[ ! -e "$POLICY" ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null && $SUDO chmod 755 "$POLICY" && OWN_POLICY=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || status=$?
  if [[ -n "$OWN_POLICY" ]]; then $SUDO rm -f "$POLICY"; fi
  ((status == 0)) || exit "$status"
  for service in mosquitto rabbitmq-server; do  # never a system broker, now or at the next boot
    [[ " ${missing[*]} " == *" $service "* ]] || continue
    if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
      $SUDO systemctl disable --now "$service.service" >/dev/null 2>&1 || true
      if [[ "$service" == rabbitmq-server ]]; then  # Erlang's port mapper, socket-activated on 0.0.0.0:4369
        $SUDO systemctl disable --now epmd.socket epmd.service >/dev/null 2>&1 || true
      fi
    elif [[ -x "/etc/init.d/$service" ]]; then
      # rabbitmq-server's init script asks `rabbitmqctl status` first, which itself starts a system epmd on
      # 0.0.0.0:4369: the service never ran (policy-rc.d said no), so it is only disabled.
      [[ "$service" == rabbitmq-server ]] || $SUDO "/etc/init.d/$service" stop >/dev/null 2>&1 || true
      $SUDO update-rc.d "$service" disable >/dev/null 2>&1 || true
    fi
  done
fi
# Nor one left running from an earlier install (a package's service runs as its own user; the tests' brokers run
# as the caller): the system RabbitMQ node and the epmd it started run as `rabbitmq` (Erlang's own epmd service
# as `epmd`), a system mosquitto as `mosquitto`. Each is stopped by its process id.
for account in rabbitmq epmd mosquitto; do
  getent passwd "$account" >/dev/null || continue
  pids=$(pgrep -u "$account" 2>/dev/null || true)
  if [[ -n "$pids" ]]; then
    echo "setup: stopping the system's $account processes ($(echo $pids))"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    # shellcheck disable=SC2086
    $SUDO kill $pids 2>/dev/null || true
  fi
done

# Debian's python3 (not a pyenv shim): the same interpreter the department's machines have.
PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || PYTHON=python3
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
.venv/bin/python scripts/i18n.py build
