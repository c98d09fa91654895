#!/usr/bin/env bash
# Install mirothinker, then run the main job. Until the agent runs (a later release),
# the main job loads the bundled real traces and prints what they hold.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mirothinker summary "$@"
