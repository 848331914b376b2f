"""The LaTeX derivations of the counterexamples (docs/derivations/, linked from
docs/conjectures.md): one per counterexample profile, each exactly what ``exactpower latex
GAME --profile PROFILE`` writes today (no drift), accepted by the kernel, and compiling.

A pair is a profile file ``examples/counterexamples/D/X-S.json`` whose game is
``D/X.json`` (``S``: before/after, min/max); its derivation is ``docs/derivations/D/X-S.tex``.
"""

from __future__ import annotations

import pytest

from tests.cases import EXAMPLES, run_cli

ROOT = EXAMPLES.parent
DERIVATIONS = ROOT / "docs" / "derivations"
FOLDERS = ("improvement", "improvement-2x2", "improvement-constant-sum", "question-b")


def pairs() -> list:
    """``(game, profile, tex)`` for every counterexample profile."""
    out = []
    for folder in FOLDERS:
        for profile in sorted((EXAMPLES / "counterexamples" / folder).glob("*.json")):
            game = profile.with_name(profile.stem.rsplit("-", 1)[0] + ".json")
            if game.exists():
                out.append((game, profile, DERIVATIONS / folder / (profile.stem + ".tex")))
    return out


PAIRS = pairs()


def test_every_counterexample_has_a_derivation_and_no_more():
    assert len(PAIRS) == 36  # 10 + 10 + 8 improvement profiles, 8 question-b ones
    stored = {p.relative_to(DERIVATIONS) for p in DERIVATIONS.rglob("*.tex")}
    assert stored == {tex.relative_to(DERIVATIONS) for _, _, tex in PAIRS}


def test_docs_link_every_derivation():
    docs = (ROOT / "docs" / "conjectures.md").read_text(encoding="utf-8")
    for _, _, tex in PAIRS:
        assert f"(derivations/{tex.parent.name}/{tex.name})" in docs, tex


@pytest.mark.parametrize(
    "game,profile,tex", PAIRS, ids=[f"{t.parent.name}/{t.stem}" for _, _, t in PAIRS]
)
def test_stored_derivation_is_what_the_cli_writes(capsys, tmp_path, game, profile, tex):
    out = tmp_path / "d.tex"
    code, _, _ = run_cli(capsys, "latex", game, "--profile", profile, "-o", out)
    assert code == 0  # written, and the kernel accepted the trace
    now = out.read_text(encoding="utf-8")
    assert now == tex.read_text(encoding="utf-8"), f"{tex} is stale: rerun exactpower latex"
    assert "\\begin{document}" in now and now.rstrip().endswith("\\end{document}")


@pytest.mark.tex
@pytest.mark.parametrize("index", [0, len(PAIRS) - 1])
def test_derivations_compile(tmp_path, index):
    from tex import compile_tex

    tex = PAIRS[index][2]
    compile_tex(tex.read_text(encoding="utf-8"), tmp_path, overfull_ok=True)
