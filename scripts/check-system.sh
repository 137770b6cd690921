#!/usr/bin/env bash
# Before the tests: the Debian packages they use must be there. As root they are installed; otherwise
# the run stops with the names of the missing packages (no test may skip silently for want of one).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/system-packages.sh
source scripts/lib/system-packages.sh
if ! ensure_packages yes $NEKO_TEST_PACKAGES; then
  echo "[neko] the tests need these packages; install them and run npm test again." >&2
  exit 1
fi
# The page bundle is served by main in the tests; build it when missing or stale.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/*.html web/vite.config.ts -newer web/dist/index.html -print -quit 2>/dev/null)" ]; then
  npm run --silent build:web
fi
# The built bundles (dist/) are what `npm start` runs; one test starts them exactly as a user would.
if [ ! -f dist/launcher.mjs ] || [ -n "$(find src scripts/build-server.mjs -newer dist/launcher.mjs -print -quit 2>/dev/null)" ]; then
  node scripts/build-server.mjs
fi
