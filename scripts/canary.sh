#!/usr/bin/env bash
# The canary: the newest releases of every dependency, tried the week they ship, before a new
# user meets them. CI runs it weekly (.github/workflows/canary.yml); any machine can run it.
#   scripts/canary.sh              newest releases within pyproject.toml's ranges (what `pip install .` gets)
#   scripts/canary.sh --unbounded  newest releases with the upper bounds lifted (WeasyPrint 71 the day it ships)
# It installs into .canary/ (never .venv, which holds the lock), runs the test suite, then builds
# every edition as scripts/build-editions.sh does and checks that extract and update changed no
# committed file. Whatever the outcome, it prints which package versions differ from uv.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh # Debian packages and the pinned uv in .uv/
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
rm -rf .canary
.uv/bin/uv venv --quiet --python "$(command -v python3)" .canary
overrides=.canary/overrides.txt
: > "$overrides"
if [ "${1:-}" = "--unbounded" ]; then
  # Each dependency with an upper bound, its lower bound kept: `weasyprint>=70,<71` -> `weasyprint>=70`.
  python3 - "$overrides" <<'PY'
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
wanted = project["dependencies"] + [r for reqs in project.get("optional-dependencies", {}).values() for r in reqs]
with open(sys.argv[1], "w") as out:
    for requirement in wanted:
        name, _, spec = re.match(r"([A-Za-z0-9._-]+)\s*(\[[^]]*\])?\s*(.*)", requirement).groups()
        if "<" in spec:
            kept = [part for part in spec.split(",") if part.strip() and not part.strip().startswith("<")]
            out.write(f"{name}{','.join(kept)}\n")
PY
  echo "canary: upper bounds lifted: $(tr '\n' ' ' < "$overrides")"
fi
.uv/bin/uv pip install --quiet --python .canary/bin/python --upgrade --override "$overrides" -e '.[test]'

status=0
echo "canary: the test suite with the newest releases"
.canary/bin/python -m pytest -q -p no:cacheprovider || status=$?
echo "canary: a build of every edition"
{ .canary/bin/ldn-i18n extract && .canary/bin/ldn-i18n update && .canary/bin/ldn-i18n pseudo \
    && .canary/bin/ldn-i18n build; } || status=$?
if [ -d .git ] && [ -n "$(git status --porcelain -- locale source templates)" ]; then
  echo "canary: extract/update changed committed files with the newest releases:" >&2
  git status --short -- locale source templates >&2
  status=1
fi
echo "canary: versions that differ from uv.lock:"
.canary/bin/python scripts/lock_diff.py uv.lock || true
if [ "$status" -ne 0 ]; then
  echo "canary: FAILED with the versions above; a fresh machine is safe while uv.lock holds them" >&2
fi
exit "$status"
