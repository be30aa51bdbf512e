#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ZP2P_ALLOWED_NETS=127.0.0.0/8 QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1

set +e
.venv/bin/python -m pytest -p no:cacheprovider "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
  echo "test: pytest collected no tests — that is a failure" >&2
  exit 1
fi
if [ $status -ne 0 ]; then
  exit $status
fi
if [ -x packaging/ci-bundle.sh ] && [ $# -eq 0 ]; then
  bash packaging/ci-bundle.sh
fi
