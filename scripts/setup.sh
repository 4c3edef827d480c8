#!/usr/bin/env bash
# Installs what the project needs, only what is missing: Debian packages (fonts,
# HarfBuzz subsetting, gettext, poppler), a virtual environment in .venv and the
# package with its test extras. Safe to run again; fast when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: renderer libraries, fonts per script and fc-list, which ldn_i18n/fonts.py asks
# which installed face covers a script, msgfmt, pdftotext.
# Fonts: fonts-noto-cjk has the Noto Sans CJK faces (Han, Kana, Hangul: SC, TC, JP, KR);
# fonts-noto-core has Noto Sans itself (Latin, Cyrillic, Greek) and a Noto Sans face for most other
# scripts (Arabic, Hebrew, Devanagari, Bengali, Gujarati, Thai, Ethiopic...; a few, Tibetan among
# them, only as Noto Serif). fonts-dejavu-core: fontconfig's next sans-serif after Noto Sans.
DEB_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fontconfig fonts-noto-core fonts-noto-cjk fonts-dejavu-core
  gettext poppler-utils openssh-client
  chromium
)
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Python environment: .venv holds exactly what uv.lock names (versions and hashes), the
# package itself editable. uv, which reads the lock, lives in its own small venv (.uv), since
# `uv sync` makes .venv hold the lock and nothing else.
UV_VERSION=0.13.9
UV=.uv/bin/uv
if [[ "$($UV --version 2>/dev/null)" != "uv $UV_VERSION "* ]]; then
  echo "setup: installing uv $UV_VERSION into .uv"
  rm -rf .uv
  python3 -m venv .uv
  .uv/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
export UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=.venv UV_NO_PROGRESS=1
if ! $UV lock --check --quiet 2>/dev/null; then
  echo "setup: uv.lock is out of date with pyproject.toml (its dependencies changed)." >&2
  echo "setup: refresh the lock with \`scripts/lock.sh\`, test, and commit uv.lock with pyproject.toml." >&2
  exit 1
fi
# Bytecode compiled once, at install: where PYTHONDONTWRITEBYTECODE is set (many CI images and
# containers set it) Python never writes the .pyc files it would otherwise cache, and every
# process compiled some 700 modules again (over a second before a build's first page). uv
# compiles the whole environment when asked, so it is asked only when the lock or Python changed.
# The interpreter by its real path: uv takes a launcher's (pyenv's shim) for another Python than
# the one .venv was made from, and would remove and make .venv again on every run.
PYTHON3="$(python3 -c 'import sys; print(sys.executable)')"
BYTECODE=(); STAMP=.venv/.bytecode
WANT="$(sha256sum uv.lock | cut -c1-64) $PYTHON3 $("$PYTHON3" --version 2>&1)"
[ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ] || BYTECODE=(--compile-bytecode)
$UV sync --locked --extra test --python "$PYTHON3" --quiet "${BYTECODE[@]}"
echo "$WANT" > "$STAMP"
# The package itself is installed editable: its own modules, compiled where out of date (quick).
.venv/bin/python -m compileall -q ldn_i18n > /dev/null
