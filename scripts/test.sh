#!/usr/bin/env bash
# Runs the test suite after set-up. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  # pytest's 5 means no test was collected: say so plainly, not as a failure of CI.
  echo "test.sh: pytest collected no tests (exit 5)"
  exit 0
fi
exit "$status"
