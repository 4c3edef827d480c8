#!/usr/bin/env bash
# Runs the test suite after set-up (scripts/setup.sh: Debian packages, .venv from uv.lock).
# Arguments go to pytest, e.g. `scripts/test.sh -m "not slow"` for the fast part.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  # pytest's 5: no test was collected. A run that tested nothing has not passed.
  echo "test.sh: pytest collected no tests (exit 5): nothing was tested" >&2
fi
exit "$status"
