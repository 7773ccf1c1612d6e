"""The installed llama.cpp must run on any x86-64 machine from 2015 on: AVX2 at most, no AVX-512, no AMX.

A native build on an AVX-512/AMX host dies with SIGILL elsewhere (or on a VM whose OS has not enabled AMX
tile state), and only on the first multi-token prompt, so this reads the machine code instead of running it.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
from pathlib import Path

import llama_cpp
import pytest

LIB = Path(llama_cpp.__file__).parent / "lib"


def _disassembly(name: str) -> str:
    libs = sorted(LIB.glob(f"{name}.so*"))
    assert libs, f"no {name}.so in {LIB}"
    return subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(libs[0])], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(platform.machine() != "x86_64", reason="x86-64 instruction sets only")
def test_llama_cpp_cpu_backend_has_no_avx512_or_amx() -> None:
    assert shutil.which("objdump"), "objdump (binutils) is needed to check the build"
    code = _disassembly("libggml-cpu")
    assert "%ymm" in code, "expected AVX2 code (ymm registers) in the CPU backend"
    assert "%zmm" not in code, "AVX-512 instructions: the build is not portable (see scripts/llama-wheel.sh)"
    for insn in ("tilezero", "tileloadd", "ldtilecfg", "tdpbssd", "tdpbf16ps"):
        assert f"\t{insn}" not in code and f" {insn} " not in code, f"AMX instruction {insn} in the build"
