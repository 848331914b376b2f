"""LaTeX rendering of checked traces (``proofs.to_latex``) and ``exactpower latex``.

The compile tests need ``pdflatex``: without it they skip, except under ``CI=true``
(``.ci/run`` installs TeX), where they fail.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import shutil
import subprocess

import pytest
import sympy

import proofs
from exactpower.catalog import stripped_down_poker, stripped_down_poker_equilibrium
from exactpower.io import json_files as files
from proofs.latex import RHS_LATEX, escape
from proofs.latex_text import parse_condition
from proofs.trace import NOTATION

from cases import PAIRS, one_line_error, run_cli
from tex import compile_tex, need_pdflatex

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HOSTILE = "\\ { } $ & # ^ _ % ~"


def trace_of(game_name: str, profile_name: str):
    game = files.load_game(EXAMPLES / f"{game_name}.json")
    profile = files.load_profile(EXAMPLES / f"{profile_name}.json", game)
    return proofs.power_scarcity(game, profile)


def poker_trace():
    game = stripped_down_poker()
    return proofs.power_scarcity(game, stripped_down_poker_equilibrium(game))


# -- the document -------------------------------------------------------------------------


@pytest.mark.parametrize("game_name, profile_name", PAIRS)
def test_every_example_compiles(tmp_path, game_name, profile_name):
    trace = trace_of(game_name, profile_name)
    source = proofs.to_latex(trace)
    assert source.startswith("\\documentclass") and source.endswith("\\end{document}\n")
    assert "\\begin{align*}" in source
    for step in trace.steps:
        assert f"\\rulename{{{escape(step.rule)}}}" in source
        assert sympy.latex(step.value) in source
    assert source.count("\\tag*{") == len(trace.steps)
    compile_tex(source, tmp_path)


def test_content_of_the_poker_document():
    trace = poker_trace()
    source = proofs.to_latex(trace)
    assert proofs.to_latex(trace) == source  # deterministic
    assert "\\title{Stripped-down poker" in source
    for package in ("amsmath", "amssymb", "booktabs", "geometry"):
        assert f"\\usepackage{{{package}}}" in source or f"]{{{package}}}" in source
    # the prior (over every type profile), the payoff tables of the support, the profile
    assert "\\Omega(t)" in source and "\\frac{1}{2}" in source
    assert source.count("{$t = (") == 2
    assert "$(2, -2)$" in source and "$(-1, 1)$" in source
    # the interim table marks the maxima; the regret column
    assert "\\boldsymbol{" in source and "regret" in source
    # the slack table, the conclusion
    assert "witness deviation" in source and "Equality holds" in source


@pytest.mark.parametrize("game_name, profile_name", PAIRS)
def test_a_stored_trace_renders_the_same(game_name, profile_name):
    trace = trace_of(game_name, profile_name)
    assert proofs.to_latex(proofs.Trace.from_json(trace.to_json())) == proofs.to_latex(trace)


def test_a_strict_inequality_shows_its_witness():
    source = proofs.to_latex(trace_of("poker", "poker-honest"))
    assert "$\\to$" in source and "gain $" in source
    assert "The inequality is strict" in source


def test_the_general_sum_identity():
    source = proofs.to_latex(trace_of("coordination", "coordination-bad"))
    assert "\\rulename{slack-sum}" in source
    assert "W(\\sigma) + \\operatorname{NashConv}(\\sigma)" in source


def test_three_players():
    source = proofs.to_latex(trace_of("odd-one-out", "odd-one-out-pure"))
    assert "\\multicolumn{4}{c}{(bob, cat)}" in source
    assert "$(1, 1, 1)$" in source


def test_zero_probability_types_are_listed_and_zeros_shown():
    source = proofs.to_latex(trace_of("haggling", "haggling-profile"))
    assert "Types of probability 0" in source and "lemon" in source
    # the prior table has every type profile, zeros included
    assert source.count("& $0$ \\\\") >= 3


def test_the_symbolic_example_shows_the_equality_condition():
    trace = trace_of("scaled-pennies", "scaled-pennies-pure")
    assert trace.equality.condition == "Eq(x, 0)"
    source = proofs.to_latex(trace)
    assert "\\[ x = 0 \\]" in source
    assert "\\max\\left(- x, x\\right)" in source  # sympy.latex of Max


def test_condition_text_is_read_back_without_eval():
    game = files.load_game(EXAMPLES / "bayesian-pennies.json")
    for text in ["Eq(q, 0) | Eq(q, 1/2)", "(q >= 0) & (q <= 1/2)", "Ne(q, 1/3)"]:
        assert str(parse_condition(text, game.parameters)) == text
    with pytest.raises(ValueError):
        parse_condition("__import__('os')", game.parameters)


def test_every_claim_has_a_latex_form():
    for lhs, rhs in NOTATION.values():
        assert lhs in RHS_LATEX and rhs in RHS_LATEX


def test_a_rejected_trace_is_refused():
    trace = poker_trace()
    bad_step = dataclasses.replace(trace.steps[0], value=trace.steps[0].value + 1)
    bad = dataclasses.replace(trace, steps=(bad_step, *trace.steps[1:]))
    assert not proofs.check(bad).ok
    with pytest.raises(proofs.ProofError, match="kernel rejects"):
        proofs.to_latex(bad)
    # a verdict that is not ok is refused too
    with pytest.raises(proofs.ProofError, match="kernel rejects"):
        proofs.to_latex(trace, verdict=proofs.check(bad))


@pytest.mark.parametrize("path", sorted((ROOT / "proofs" / "corpus" / "bad").glob("*.json"))[:5])
def test_corpus_bad_traces_are_refused(path):
    trace = proofs.Trace.from_json(path.read_text(encoding="utf-8"))
    with pytest.raises(proofs.ProofError):
        proofs.to_latex(trace)


# -- escaping -----------------------------------------------------------------------------


def test_escape_the_ten_specials():
    assert escape("a_b&c%#$") == "a\\_b\\&c\\%\\#\\$"
    assert escape("\\") == "\\textbackslash{}"
    assert escape("{}") == "\\{\\}"
    assert escape("^~") == "\\textasciicircum{}\\textasciitilde{}"
    assert escape("plain text 1.5") == "plain text 1.5"
    # no special character survives unescaped
    out = escape(HOSTILE)
    for ch in "$&#%":
        assert out.count(ch) == out.count("\\" + ch)


def test_escape_other_text():
    assert escape("x\ny\tz") == "x y z"
    assert escape("--") == "-{}-" and escape("''") == "'{}'" and escape("a-b") == "a-b"
    assert escape("é") == "\\'{e}"
    assert escape("σΣ") == "\\ensuremath{\\sigma}\\ensuremath{\\Sigma}"
    assert escape("日") == "\\texttt{[U+65E5]}"
    assert escape("<|>") == "\\textless{}\\textbar{}\\textgreater{}"


def test_escape_compiles_for_every_character_class(tmp_path):
    from proofs.latex import PREAMBLE

    sample = "".join(
        map(
            chr,
            [
                *range(1, 0x250),
                *range(0x370, 0x400),
                *range(0x2000, 0x2030),
                0x2260,
                0x65E5,
                0x1F600,
                0x0301,
                0xFFFD,
            ],
        )
    )
    lines = [escape(sample[k : k + 40]) for k in range(0, len(sample), 40)]
    source = (
        PREAMBLE
        + "\\begin{document}\n\\sloppy\n"
        + "\n\n".join(lines)
        + "\n\n$\\text{"
        + escape(sample[:200])
        + "}$\n\\end{document}\n"
    )
    compile_tex(source, tmp_path, overfull_ok=True)


def hostile_game():
    p1, p2 = "a_b&c%#$", HOSTILE
    doc = {
        "format": "exactpower/game-v1",
        "title": "Hostile " + HOSTILE + ' <|> "q" `x\' -- café σ 日本 \\end{document}',
        "players": [
            {
                "name": p1,
                "types": ["t{1}", "t\\2^"],
                "actions": ["x~y", "\\par", "\\end{document}"],
            },
            {"name": p2, "types": ["%", "#&"], "actions": ["$", "_^"]},
        ],
        "rewards": [
            {"types": ["*", "*"], "actions": ["*", "$"], "values": [1, -1]},
            {"types": ["*", "*"], "actions": ["*", "_^"], "values": [-1, 1]},
        ],
        "constant_sum": 0,
    }
    game = files.loads(json.dumps(doc))
    profile = files.loads_profile(
        json.dumps(
            {
                "format": "exactpower/profile-v1",
                "strategies": {
                    p1: {"t{1}": "x~y", "t\\2^": {"\\par": "1/2", "\\end{document}": "1/2"}},
                    p2: {"%": "$", "#&": {"$": "1/3", "_^": "2/3"}},
                },
            }
        ),
        game,
    )
    return game, profile


def test_hostile_names_compile(tmp_path):
    game, profile = hostile_game()
    source = proofs.to_latex(proofs.power_scarcity(game, profile))
    assert "\\end{document}" not in source[: -len("\\end{document}\n")]
    pdf = compile_tex(source, tmp_path, overfull_ok=True)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "t{1}" in text and "\\end{document}" in text and '"q"' in text


# -- the command line ---------------------------------------------------------------------


def test_cli_prints_the_document(capsys):
    code, out, err = run_cli(capsys, "latex")
    assert (code, err) == (0, "")
    assert out == proofs.to_latex(poker_trace())


def test_cli_writes_a_file(capsys, tmp_path):
    out_file = tmp_path / "pennies.tex"
    code, out, err = run_cli(
        capsys,
        "latex",
        str(EXAMPLES / "scaled-pennies.json"),
        "--profile",
        str(EXAMPLES / "scaled-pennies-pure.json"),
        "-o",
        str(out_file),
    )
    assert (code, err) == (0, "")
    assert out == f"wrote {out_file}\n"
    assert "x = 0" in out_file.read_text(encoding="utf-8")


def test_cli_json(capsys):
    code, out, err = run_cli(capsys, "latex", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert list(doc) == ["theorem", "checked", "tex", "pdf", "latex"]
    assert doc["checked"] is True and doc["latex"].startswith("\\documentclass")


def test_cli_pdf(capsys, tmp_path):
    need_pdflatex()
    out_file = tmp_path / "poker.tex"
    code, _out, err = run_cli(capsys, "latex", "-o", str(out_file), "--pdf")
    assert (code, err) == (0, "")
    assert out_file.read_text(encoding="utf-8").startswith("\\documentclass")
    assert (tmp_path / "poker.pdf").read_bytes().startswith(b"%PDF")
    # -o FILE.pdf: the PDF only
    code, _out, err = run_cli(
        capsys,
        "latex",
        str(EXAMPLES / "poker.json"),
        "--profile",
        str(EXAMPLES / "poker-honest.json"),
        "-o",
        str(tmp_path / "honest.pdf"),
    )
    assert (code, err) == (0, "")
    assert (tmp_path / "honest.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "honest.tex").exists()


def test_cli_pdf_without_tex(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pdflatex on the PATH
    code, out, err = run_cli(capsys, "latex", "-o", str(tmp_path / "x.tex"), "--pdf")
    assert code == 2 and out == ""
    one_line_error(err)
    assert "pdflatex not found; install TeX (e.g. apt-get install texlive-latex-base" in err
    assert not (tmp_path / "x.tex").exists()


def test_cli_pdf_compile_failure(capsys, tmp_path, monkeypatch):
    need_pdflatex()
    import proofs.latex

    monkeypatch.setattr(
        proofs,
        "to_latex",
        lambda trace, verdict=None: (
            "\\documentclass{article}\\begin{document}\\undefinedcommand\\end{document}\n"
        ),
    )
    code, out, err = run_cli(capsys, "latex", "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and out == ""
    one_line_error(err)
    assert "pdflatex failed: ! Undefined control sequence." in err
    assert (tmp_path / "x.log").exists() and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["latex", "--pdf"], "--pdf needs -o FILE.tex or -o FILE.pdf"),
        (["latex", "-o", "x.txt", "--pdf"], "--pdf needs -o FILE.tex or -o FILE.pdf"),
        (["latex", "--profile", "p.json"], "latex: --profile needs a GAME"),
        (["latex", str(EXAMPLES / "poker.json")], "latex: "),
        (["latex", "no-such-game.json", "--profile", "p.json"], "no-such-game.json"),
        (
            [
                "latex",
                str(EXAMPLES / "poker.json"),
                "--profile",
                str(EXAMPLES / "matching-pennies-pure.json"),
            ],
            "matching-pennies-pure.json",
        ),
    ],
)
def test_cli_bad_input(capsys, argv, fragment):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    one_line_error(err)
    assert fragment in err


def test_cli_bad_game_file(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "exactpower/game-v1", "players": []}', encoding="utf-8")
    code, out, err = run_cli(capsys, "latex", str(bad), "--profile", str(bad))
    assert code == 2 and out == ""
    one_line_error(err)
    assert "bad.json" in err
