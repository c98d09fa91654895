#!/usr/bin/env bash
# Install mirothinker with its dev tools, then run the whole test suite:
# every notebook (nbdev-test skips cells flagged notest, gpu or slow), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
nbdev-test
python3 -m pytest "$@"
