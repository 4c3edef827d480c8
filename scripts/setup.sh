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
  gettext poppler-utils
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

# Python environment: rebuilt when pyproject.toml changes.
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.ldn-i18n-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing ldn-i18n and its dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  echo "$want" > "$stamp"
fi
