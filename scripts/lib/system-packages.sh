# Debian packages neko uses, and a helper that installs missing ones (as root) or names them.
# Sourced by scripts/setup.sh (the app) and scripts/check-system.sh (the tests).

# What the app itself uses: voice (espeak-ng, sox), browser use (chromium), computer use (xvfb, xdotool, imagemagick).
NEKO_APP_PACKAGES="espeak-ng sox chromium xvfb xdotool imagemagick"
# What the tests use on top: speech recognition fixtures, an Opus encoder/decoder for CosyVoice streams, a window manager and terminal for desktop tests, CJK fonts for screenshots.
NEKO_TEST_PACKAGES="$NEKO_APP_PACKAGES pocketsphinx pocketsphinx-en-us openbox xterm scrot fonts-noto-cjk opus-tools"
# Compilers for native npm modules (better-sqlite3 builds from source here).
NEKO_BUILD_PACKAGES="python3 make g++"

missing_packages() {
  local missing=""
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo ""
    return
  fi
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $pkg"
    fi
  done
  echo "$missing"
}

# ensure_packages <strict:yes|no> <packages...>
# Installs what is missing when root; otherwise prints the command to run and, if strict, fails.
ensure_packages() {
  local strict="$1"
  shift
  local missing
  missing=$(missing_packages "$@")
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "[neko] installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    return 0
  fi
  echo "[neko] missing Debian packages:$missing"
  echo "[neko] install them with: sudo apt-get install -y$missing"
  if [ "$strict" = "yes" ]; then
    return 1
  fi
  return 0
}
