#!/usr/bin/env bash
# Install mirothinker, then run the main job at its quick size: the embedded model in its four training phases
# (untrained, SFT, DPO, RL: the adapters shipped in data/adapters) on held-out tasks, against the tool-call budget.
# Figures and a report go to figures/quick/ (the full size: `mirothinker reproduce`, figures/). Arguments are passed on,
# e.g. `bash scripts/run.sh --out /tmp/figs`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mirothinker reproduce --quick "$@"
