"""``exactpower latex [GAME] [--profile PROFILE] [-o FILE] [--pdf] [--json]``.

The derivation of the power-scarcity theorem (or of the general-sum identity)
for one game and profile as a standalone LaTeX document
(:func:`proofs.to_latex`).  Without GAME: the built-in example, stripped-down
poker at its equilibrium, as for ``exactpower verify``.

- without ``-o``: the LaTeX on stdout;
- ``-o FILE``: the LaTeX written to FILE;
- ``--pdf`` (needs ``-o FILE.tex`` or ``-o FILE.pdf``; ``-o FILE.pdf`` implies
  it): compiles the document with ``pdflatex -interaction=nonstopmode
  -halt-on-error -no-shell-escape`` in a temporary directory (time limit
  :data:`TIMEOUT` seconds) and writes ``FILE.pdf`` (with ``-o FILE.tex``, both
  ``FILE.tex`` and ``FILE.pdf``).

Exit status: 0 written; 1 the kernel rejects the trace, or pdflatex fails (the
last error line of its log on stderr; the log is kept next to FILE as
``FILE.log``); 2 bad input or usage, or no ``pdflatex`` installed -- one line on
stderr.  ``--json`` prints ``{"theorem", "checked", "tex", "pdf", "latex"}``
(``latex``: the document when it is not written to a file, else ``null``).

The proof module is imported inside the command (``exactpower`` never imports
``proofs`` at import time).

>>> from exactpower.cli import main
>>> main(["latex", "no-such-game.json", "--profile", "p.json"])
2
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable

from .common import (
    UsageError,
    add_game,
    add_profile,
    game_and_profile,
    one_line,
    write_json,
)
from .trees import add_openspiel, tree_inputs, tree_trace

__all__ = [
    "NAME",
    "HELP",
    "DESCRIPTION",
    "arguments",
    "run",
    "compile_pdf",
    "CompileError",
    "TIMEOUT",
    "ENGINE",
    "NO_TEX",
]

NAME = "latex"
HELP = "the checked derivation as a standalone LaTeX document (or PDF)"
DESCRIPTION = (
    "Trace the power-scarcity theorem (or the general-sum identity) at one profile, "
    "check the trace with the proof kernel, and render it as a standalone LaTeX "
    "document: the game, the profile, the interim utilities, the derivation, the "
    "slack table and the conclusion.  Without GAME: stripped-down poker at its "
    "equilibrium.  Exit 0 written, 1 rejected by the kernel or pdflatex failed, 2 "
    "bad input or no TeX installed."
)

#: Seconds one pdflatex run may take.
TIMEOUT = 120
#: The TeX engine ``--pdf`` runs.
ENGINE = "pdflatex"
#: The one-line error when no TeX engine is installed (exit 2).
NO_TEX = (
    "latex: pdflatex not found; install TeX (e.g. apt-get install texlive-latex-base "
    "texlive-latex-recommended)"
)


class CompileError(Exception):
    """pdflatex ran and failed; the message is one line."""


def _last_error(log: str) -> str:
    """The last ``! ...`` line of a TeX log (with its ``l.N`` line number when given)."""
    lines = log.splitlines()
    errors = [
        k
        for k, line in enumerate(lines)
        if line.startswith("!")
        and "==> Fatal error occurred" not in line
        and line != "! Emergency stop."
    ]
    if not errors:
        tail = [line for line in lines if line.strip()]
        return tail[-1].strip() if tail else "no log"
    k = errors[-1]
    where = next(
        (
            line.split(" ", 1)[0]
            for line in lines[k + 1 : k + 12]
            if line.startswith("l.") and line[2:3].isdigit()
        ),
        "",
    )
    return lines[k].strip() + (f" ({where})" if where else "")


def compile_pdf(
    source: str,
    pdf_path: str,
    *,
    log_path: str | None = None,
    engine: str | None = None,
    timeout: float = TIMEOUT,
) -> None:
    """Compile LaTeX ``source`` with pdflatex into ``pdf_path``.

    Runs in a fresh temporary directory (nothing but the PDF, and on failure the
    log, is copied out).  Raises :class:`FileNotFoundError` when the engine is
    not installed and :class:`CompileError` (one-line message) when it fails or
    times out.
    """
    exe = shutil.which(engine or ENGINE)
    if exe is None:
        raise FileNotFoundError(engine or ENGINE)
    with tempfile.TemporaryDirectory(prefix="exactpower-latex-") as tmp:
        with open(os.path.join(tmp, "derivation.tex"), "w", encoding="utf-8") as f:
            f.write(source)
        command = [
            exe,
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-no-shell-escape",
            "derivation.tex",
        ]
        try:
            run = subprocess.run(
                command,
                cwd=tmp,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise CompileError(f"pdflatex timed out after {timeout:g} s") from None
        log_file = os.path.join(tmp, "derivation.log")
        log = ""
        if os.path.exists(log_file):
            with open(log_file, encoding="utf-8", errors="replace") as f:
                log = f.read()
        else:
            log = run.stdout.decode("utf-8", errors="replace")
        pdf = os.path.join(tmp, "derivation.pdf")
        if run.returncode != 0 or not os.path.exists(pdf):
            if log_path is not None:
                with open(log_path, "w", encoding="utf-8") as f:
                    f.write(log)
            raise CompileError(f"pdflatex failed: {_last_error(log)}")
        shutil.copyfile(pdf, pdf_path)


def _outputs(args):
    """``(tex_path or None, pdf_path or None)`` from ``-o`` and ``--pdf``."""
    out = args.output
    if out is None:
        if args.pdf:
            raise UsageError("latex: --pdf needs -o FILE.tex or -o FILE.pdf")
        return None, None
    stem, ext = os.path.splitext(out)
    if ext.lower() == ".pdf":
        return None, out
    if args.pdf:
        if ext.lower() != ".tex":
            raise UsageError(f"latex: --pdf needs -o FILE.tex or -o FILE.pdf, not {out!r}")
        return out, stem + ".pdf"
    return out, None


def _write_pdf(source: str, pdf_path: str) -> bool:
    """Compile into ``pdf_path``; False (the error on stderr) when pdflatex fails."""
    log_path = os.path.splitext(pdf_path)[0] + ".log"
    try:
        compile_pdf(source, pdf_path, log_path=log_path)
    except FileNotFoundError:
        raise UsageError(NO_TEX) from None
    except CompileError as exc:
        sys.stderr.write(f"exactpower: latex: {one_line(exc)} (log: {log_path})\n")
        return False
    return True


def run(args) -> int:
    """Trace, check, render; write or print the document."""
    import proofs

    tex_path, pdf_path = _outputs(args)
    if pdf_path is not None and shutil.which(ENGINE) is None:
        raise UsageError(NO_TEX)
    from .stochastic import stochastic_inputs, stochastic_trace

    stochastic = stochastic_inputs(args, "latex")  # a stochastic-v1 game or its trace
    tree = None if stochastic is not None else tree_inputs(args, "latex")
    render: Callable[..., str]
    if stochastic is not None:
        from proofs.stochastic_latex import stochastic_to_latex

        trace, verdict = stochastic_trace(*stochastic[:2])
        render = stochastic_to_latex
    elif tree is not None:
        from proofs.tree_latex import tree_to_latex

        trace, verdict = tree_trace(*tree[:2])
        render = tree_to_latex
    else:
        game, profile, _, _ = game_and_profile(args, "latex")
        trace = proofs.power_scarcity(game, profile)
        verdict = proofs.check(trace)
        render = proofs.to_latex
    if not verdict.ok:
        sys.stderr.write(
            f"exactpower: latex: rejected by the kernel: {one_line(verdict.message)}\n"
        )
        return 1
    source = render(trace, verdict=verdict)
    if tex_path is not None:
        with open(tex_path, "w", encoding="utf-8") as f:
            f.write(source)
    if pdf_path is not None and not _write_pdf(source, pdf_path):
        return 1
    if args.json:
        write_json(
            {
                "theorem": trace.theorem,
                "checked": verdict.ok,
                "tex": tex_path,
                "pdf": pdf_path,
                "latex": source if args.output is None else None,
            }
        )
    elif args.output is None:
        sys.stdout.write(source)
    else:
        sys.stdout.write("wrote " + " and ".join(p for p in (tex_path, pdf_path) if p) + "\n")
    return 0


def arguments(p) -> None:
    """GAME (optional), ``--profile``, ``-o``, ``--pdf``."""
    add_game(p, optional=True)
    add_profile(p)
    add_openspiel(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of stdout (FILE.pdf: compile to PDF)",
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also compile with pdflatex: -o FILE.tex writes FILE.tex and FILE.pdf",
    )
