#!/usr/bin/env bash
# Build (once) and install llama-cpp-python for any x86-64 machine, not only the one building it.
#
# llama.cpp's default build is GGML_NATIVE: it targets the build machine's CPU, so a wheel built on an
# AVX-512/AMX host dies with SIGILL on an AVX2-only host, or on a VM whose OS has not enabled AMX tile
# state. We build one fixed instruction set (AVX2 + FMA + F16C + BMI2: every x86-64 CPU since 2015,
# Intel and AMD) with AVX-512 and AMX off, and cache the wheel under a key made of the version and these
# flags, so pip's own wheel cache (keyed by version alone) can never hand back a native build.
#
# usage: scripts/llama-wheel.sh PIP   (PIP: the pip of the virtual environment to install into)
set -euo pipefail
PIP=${1:?usage: llama-wheel.sh PIP}
VERSION=${LLAMA_CPP_VERSION:-0.3.36}
FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
-DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF \
-DGGML_AVX_VNNI=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
KEY=$(printf '%s %s' "$VERSION" "$FLAGS" | sha256sum | cut -c1-12)
CACHE=${CITEWIRE_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/citewire/wheels}/llama-cpp-python-$VERSION-$KEY
if ! ls "$CACHE"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "compiling llama.cpp $VERSION, portable x86-64 AVX2 build (about 8 minutes on 2 cores, once;" \
         "cached in $CACHE)"
    mkdir -p "$CACHE.tmp"
    start=$(date +%s)
    log="$CACHE.tmp/build.log"
    CMAKE_ARGS="$FLAGS" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
        "$PIP" wheel --no-deps --no-cache-dir --no-binary llama-cpp-python -w "$CACHE.tmp" \
        "llama-cpp-python==$VERSION" >"$log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 30
        kill -0 "$pid" 2>/dev/null && echo "  ... still compiling llama.cpp ($(( $(date +%s) - start )) s)"
    done
    if ! wait "$pid"; then
        tail -30 "$log" >&2
        echo "error: compiling llama-cpp-python failed (full log: $log)" >&2
        exit 1
    fi
    rm -rf "$CACHE" && mv "$CACHE.tmp" "$CACHE"
    echo "compiled llama.cpp in $(( $(date +%s) - start )) s"
fi
"$PIP" install -q "$CACHE"/llama_cpp_python-*.whl
