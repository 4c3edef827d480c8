#!/usr/bin/env bash
# Refreshes uv.lock, the versions and hashes a fresh machine installs, then installs them.
#   scripts/lock.sh             after a change to pyproject.toml's dependencies: keeps every other pin
#   scripts/lock.sh --upgrade   moves every package to its newest release within pyproject's ranges
# Run the tests (scripts/test.sh) before committing the new uv.lock with pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=$(sed -n 's/^UV_VERSION=//p' scripts/setup.sh)
if [[ "$(.uv/bin/uv --version 2>/dev/null)" != "uv $UV_VERSION "* ]]; then
  rm -rf .uv && python3 -m venv .uv && .uv/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
.uv/bin/uv lock "$@"
exec scripts/setup.sh
