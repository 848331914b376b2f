"""Traces of irrational equilibria (issue 10, item 4): their values carry ``sqrt(n)`` and
``CRootOf(p, k)``, which the trace grammar reads back exactly, and the kernel decides their
equalities exactly (reduction modulo the numbers' polynomials)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import proofs
from exactpower import BayesianGame, Player, equilibria
from exactpower.errors import ExpressionError, LimitError
from exactpower.exact import parse_expression
from exactpower.io import dumps
from exactpower.limits import MAX_ROOT_DEGREE, MAX_ROOT_DIGITS
from proofs.kernel.algebraic import is_zero, reduce_numbers
from proofs.trace import parse_value

from cases import EXAMPLES

IRRATIONAL = EXAMPLES / "irrational-three-player.json"
X = sympy.Symbol("x")
THETA = sympy.CRootOf(X**3 - 3 * X**2 + 4 * X - 1, 0)  # ≈ 0.317672


def cli(*argv, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "exactpower", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
    )


def cubic_game() -> BayesianGame:
    """Four players whose mixed equilibrium has every probability in QQ(θ), θ a root of
    x³ − 3x² + 4x − 1 (``tests/equilibria/test_equilibria_poly.py``)."""

    def rewards(_t, a):
        z = [int(x == "0") for x in a]
        return [
            (z[1] * z[2] * z[3] + z[1] - 1) if z[0] else 0,
            (z[0] - z[2]) if z[1] else 0,
            (z[0] - z[3]) if z[2] else 0,
            (z[0] - z[1]) if z[3] else 0,
        ]

    return BayesianGame.from_function([Player(n, ("-",), ("0", "1")) for n in "ABCD"], rewards)


def cubic_trace():
    game = cubic_game()
    (profile,) = [e.profile for e in equilibria(game) if e.profile.is_symbolic]
    return proofs.power_scarcity(game, profile)


# -- the command line: verify -> trace -> check ------------------------------------------------


def test_verify_trace_check_round_trip_of_an_irrational_equilibrium(tmp_path):
    trace_file = tmp_path / "t.json"
    done = cli("verify", IRRATIONAL, "--equilibria", "--trace-out", trace_file)
    assert done.returncode == 0, done.stderr
    text = trace_file.read_text(encoding="utf-8")
    assert "sqrt(265)" in text
    checked = cli("check", trace_file, "--json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["valid"] is True


def test_a_corrupted_irrational_trace_is_rejected(tmp_path):
    trace_file = tmp_path / "t.json"
    assert cli("verify", IRRATIONAL, "--equilibria", "--trace-out", trace_file).returncode == 0
    data = json.loads(trace_file.read_text(encoding="utf-8"))
    assert data["steps"][0]["value"] == "23/6 - sqrt(265)/30"
    data["steps"][0]["value"] = "23/6 - sqrt(266)/30"  # ≈ the same number, not equal
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    done = cli("check", bad)
    assert done.returncode == 1
    assert "rejected" in done.stderr and "sqrt(266)" in done.stderr


def test_a_trace_profile_moved_off_the_equilibrium_is_rejected(tmp_path):
    trace_file = tmp_path / "t.json"
    assert cli("verify", IRRATIONAL, "--equilibria", "--trace-out", trace_file).returncode == 0
    data = json.loads(trace_file.read_text(encoding="utf-8"))
    ann = data["profile"]["strategies"]["Ann"]["-"]
    ann["a"], ann["b"] = "17/24 - sqrt(265)/121", "sqrt(265)/121 + 7/24"  # still sums to 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    done = cli("check", bad)
    assert done.returncode == 1, done.stderr


def test_bad_algebraic_values_are_refused_with_their_place(tmp_path):
    trace_file = tmp_path / "t.json"
    assert cli("verify", IRRATIONAL, "--equilibria", "--trace-out", trace_file).returncode == 0
    data = json.loads(trace_file.read_text(encoding="utf-8"))
    data["steps"][0]["value"] = "CRootOf(x**2 + 1, 0)"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    done = cli("check", bad)
    assert done.returncode == 2
    assert "steps[0].value" in done.stderr and "not a real number" in done.stderr


# -- CRootOf: the kernel's reduction ---------------------------------------------------------------


def test_a_crootof_trace_is_built_checked_and_read_back():
    trace = cubic_trace()
    text = trace.to_json()
    assert "CRootOf(x**3 - 3*x**2 + 4*x - 1, 0)" in text
    verdict = proofs.check(trace)
    assert verdict.ok, verdict.message
    again, verdict = proofs.check_trace(text)
    assert verdict.ok, verdict.message
    assert again.profile.strategies == trace.profile.strategies


def test_a_corrupted_crootof_trace_is_rejected():
    text = cubic_trace().to_json()
    # the other real root? x³ − 3x² + 4x − 1 has one; use a nearby cubic's root instead
    wrong = text.replace(
        '"value": "0"',
        '"value": "CRootOf(x**3 - 3*x**2 + 4*x - 1, 0) - CRootOf(x**3 - 3*x**2 + 4*x - 1, 0)**3"',
        1,
    )
    assert wrong != text
    _, verdict = proofs.check_trace(wrong)
    assert not verdict.ok


def test_crootof_cli_round_trip(tmp_path):
    game_file = tmp_path / "cubic.json"
    game_file.write_text(dumps(cubic_game()), encoding="utf-8")
    trace_file = tmp_path / "t.json"
    done = cli("verify", game_file, "--equilibria", "--trace-out", trace_file)
    assert done.returncode == 0, done.stdout + done.stderr
    written = sorted(tmp_path.glob("t*.json"))  # one file per equilibrium: t-1.json, ...
    assert written and any("CRootOf" in f.read_text(encoding="utf-8") for f in written)
    for path in written:
        checked = cli("check", path)
        assert checked.returncode == 0, checked.stderr


# -- the grammar ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        sympy.Rational(17, 24) - sympy.sqrt(265) / 120,
        sympy.sqrt(3) / 2 + sympy.Rational(1, 7),
        1 - THETA,
        THETA**2 - 2 * THETA + sympy.Rational(1, 3),
        sympy.CRootOf(X**5 - X - 1, 0) * sympy.sqrt(2),
        sympy.Max(sympy.sqrt(2), THETA, evaluate=False),
    ],
)
def test_what_sympy_writes_reads_back_to_the_same_value(value):
    text = str(value)
    back = parse_value(text)
    assert back == value and str(back) == text
    assert type(back) is type(value)


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("sqrt(-2)", ExpressionError, "nonnegative rational"),
        ("sqrt(q)", ExpressionError, "nonnegative rational"),
        ("CRootOf(x**2 + 1, 0)", ExpressionError, "not a real number"),
        ("CRootOf(x**3 - 1, 3)", ExpressionError, "index 3"),
        ("CRootOf(x/2 - 1, 0)", ExpressionError, "integer coefficients"),
        ("CRootOf(x**2 - q, 0)", Exception, "'q'"),
        ("CRootOf(3, 0)", ExpressionError, "polynomial in one variable"),
        ("CRootOf(x**2 - 2)", ExpressionError, "expected ','"),
        ("CRootOf(x**(-1) - 2, 0)", ExpressionError, "polynomial"),
        (f"CRootOf(x**{MAX_ROOT_DEGREE}*x - 2, 0)", LimitError, "MAX_ROOT_DEGREE"),
        (
            f"CRootOf({'9' * 99}*{'9' * 99}*{'9' * 99}*{'9' * 99}*{'9' * 99}*{'9' * 99}*x - 1, 0)",
            LimitError,
            "MAX_ROOT_DIGITS",
        ),
        (f"sqrt({'7' * 99}^6)", LimitError, "MAX_ROOT_DIGITS"),
    ],
)
def test_bad_algebraic_values(text, error, message):
    q = sympy.Symbol("q", nonnegative=True)
    with pytest.raises(error, match=message):
        parse_expression(text, {"q": q}, allow_algebraic=True, where="v")
    assert MAX_ROOT_DIGITS < 6 * 99


def test_game_files_refuse_algebraic_numbers():
    with pytest.raises(Exception, match="undeclared parameter 'sqrt'"):
        parse_expression("sqrt(2)")
    with pytest.raises(Exception, match="undeclared parameter 'CRootOf'"):
        parse_expression("CRootOf(x)")
    with pytest.raises(ExpressionError, match="unexpected character ','"):
        parse_expression("CRootOf(x**3 - x - 1, 0)")


def test_the_root_variable_is_not_a_parameter():
    q = sympy.Symbol("q")
    value = parse_value("q + CRootOf(q**2 - 2, 1)", [type("P", (), {"name": "q", "symbol": q})])
    assert value == q + sympy.sqrt(2) or value == q + sympy.CRootOf(X**2 - 2, 1)
    assert value.free_symbols == {q}


# -- the kernel's zero test ----------------------------------------------------------------------

polynomials = st.lists(st.integers(-5, 5), min_size=1, max_size=6)


def _poly(coefficients, alpha):
    return sum((c * alpha**k for k, c in enumerate(coefficients)), sympy.S.Zero)


@settings(max_examples=40, deadline=None)
@given(polynomials, polynomials)
def test_is_zero_decides_equality_in_a_cubic_field(p, q):
    a, b = _poly(p, THETA), _poly(q, THETA)
    m = sympy.Poly(X**3 - 3 * X**2 + 4 * X - 1, X)
    truth = (sympy.Poly(_poly(p, X), X) - sympy.Poly(_poly(q, X), X)).rem(m).is_zero
    assert is_zero(a - b) is truth  # irreducible cubic: exact both ways
    if not truth:
        assert abs(sympy.N(a - b, 50)) > 1e-30
    assert is_zero(reduce_numbers(a) - b) is truth


@settings(max_examples=40, deadline=None)
@given(polynomials, st.sampled_from([2, 3, 5, 265]))
def test_is_zero_with_square_roots(p, n):
    r = sympy.sqrt(n)
    a = _poly(p, r)
    value = sympy.N(a, 60)
    assert is_zero(a - reduce_numbers(a))
    assert is_zero(a) is bool(abs(value) < 1e-40)


def test_a_disguised_zero_denominator_is_not_equal_to_anything():
    zero = THETA**3 - 3 * THETA**2 + 4 * THETA - 1  # 0, not written as 0
    assert is_zero(zero)
    assert not is_zero(zero / (THETA * (THETA**2 - 3 * THETA + 4) - 1) - 7)


def test_square_roots_read_back_although_sympys_factor_cache_refuses_them():
    # sympy 1.14: after sqrt(7 · 32771²), sqrt(32771² · 1000033 · 1000037) raises ValueError
    # from its factor cache ("... is not a prime factor of ..."): reading these two trace
    # values one after the other crashed.  Each value read must square to its argument.
    # (A fresh process: the cache is global.)
    code = (
        "import sympy\n"
        "from exactpower.exact import parse_expression\n"
        "for n in (7 * 32771**2, 32771**2 * 1000033 * 1000037):\n"
        "    v = parse_expression(f'sqrt({n})/3', allow_algebraic=True)\n"
        "    print(v**2 == sympy.Rational(n, 9), v.is_positive)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["True True", "True True"]
