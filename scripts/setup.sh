#!/usr/bin/env bash
# Installs what neko needs on a Debian/Ubuntu machine with Node 20: Debian packages (when root), npm packages,
# and the built server and page. `--if-needed` returns at once when everything is already in place,
# which is how `npm start` calls it on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/system-packages.sh
source scripts/lib/system-packages.sh

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "[neko] Node.js 20 or newer is required (found $(node -v))." >&2
  exit 1
fi

newest_source() {
  find src web/src web/*.html web/vite.config.ts tsconfig.json tsconfig.build.json package-lock.json -type f -newer "$1" -print -quit 2>/dev/null
}

if [ "${1:-}" = "--if-needed" ]; then
  if [ -d node_modules ] && [ -f dist/.built ] && [ -f web/dist/index.html ] && [ -z "$(newest_source dist/.built)" ] \
     && [ -z "$(missing_packages $NEKO_APP_PACKAGES | tr -d ' ')" ]; then
    exit 0
  fi
fi

ensure_packages no $NEKO_BUILD_PACKAGES $NEKO_APP_PACKAGES || true

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[neko] installing npm packages (the first time compiles better-sqlite3, about a minute)"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "[neko] building the server and the page"
npm run --silent build
touch dist/.built
