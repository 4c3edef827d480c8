#!/usr/bin/env bash
# Builds every edition: set-up, then extract -> update -> check catalogs -> build.
# Output: dist/<lang>/<handout>.html and .pdf, dist/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ldn-i18n extract
.venv/bin/ldn-i18n update
.venv/bin/ldn-i18n pseudo
.venv/bin/ldn-i18n build "$@"
