#!/usr/bin/env bash
# Install mirothinker with its dev tools and the system packages the tests need (bubblewrap, chromium, fonts-noto-cjk, when
# this user may install them), then run the whole test suite: every notebook (nbdev-test skips cells flagged notest, gpu
# or slow), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
# The notebooks and tests run model-written code in the bubblewrap sandbox: stop now, saying what to do, if it cannot work here.
python3 -m mirothinker.tools.sandbox
nbdev-test
python3 -m pytest "$@"
