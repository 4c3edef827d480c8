#!/usr/bin/env bash
# Runs the test suite after set-up (scripts/setup.sh: Debian packages, .venv from uv.lock).
# Arguments go to pytest, e.g. `scripts/test.sh -m "not slow"` for the fast part.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
status=0
# Two worker processes (pytest-xdist), each taking whole test modules, so that a module's shared
# build is made once (docs/development.md, "The test suite"); TEST_WORKERS=0 runs in this process.
.venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadscope "$@" || status=$?
if [ "$status" -eq 5 ]; then
  # pytest's 5: no test was collected. A run that tested nothing has not passed.
  echo "test.sh: pytest collected no tests (exit 5): nothing was tested" >&2
fi
exit "$status"
