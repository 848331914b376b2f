"""pdflatex for the LaTeX tests: skip without it locally, fail under ``CI=true``."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest


def need_pdflatex() -> str:
    exe = shutil.which("pdflatex")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "pdflatex is not installed, and CI=true: the TeX tests must run in CI "
                "(.ci/run installs texlive-latex-base texlive-latex-recommended)"
            )
        else:
            pytest.skip(
                "pdflatex is not installed (apt-get install texlive-latex-base "
                "texlive-latex-recommended)"
            )
    return exe


def compile_tex(
    source: str, directory: pathlib.Path, name: str = "doc", *, overfull_ok: bool = False
) -> pathlib.Path:
    """Compile with pdflatex in ``directory``; fail with the TeX errors, and on lines wider
    than the page (overfull boxes) unless ``overfull_ok``."""
    exe = need_pdflatex()
    tex = directory / f"{name}.tex"
    tex.write_text(source, encoding="utf-8")
    run = subprocess.run(
        [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
        cwd=directory,
        capture_output=True,
        timeout=120,
    )
    log = (directory / f"{name}.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert run.returncode == 0 and not errors, errors or log[-2000:]
    if not overfull_ok:
        overfull = [line for line in log.splitlines() if line.startswith("Overfull \\hbox")]
        assert not overfull, overfull
    pdf = directory / f"{name}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf
