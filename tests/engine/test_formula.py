"""Tests for the sandboxed custom-formula evaluator (jixiao.engine.formula)."""

from __future__ import annotations

import builtins
import math
import pickle
import re
import struct
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.engine import formula as formula_module
from jixiao.engine.formula import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    Formula,
    FormulaError,
    parse_formula,
)

NAN = float("nan")
XYZ = frozenset({"x", "y", "z"})


def _bits(value: float) -> bytes:
    return struct.pack("<d", value)


def _same(a: float, b: float) -> bool:
    """Bit-for-bit equality, every NaN equal to every NaN."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return _bits(a) == _bits(b)


def _both(text: str, env: dict[str, float] | None = None, names: frozenset[str] = XYZ) -> float:
    """Evaluate in both modes, check they agree bit for bit, return the value."""
    env = env or {}
    f = parse_formula(text, names)
    scalar = f.evaluate_scalar(env)
    vector = f.evaluate({k: np.array([v]) for k, v in env.items()})
    assert vector.dtype == np.float64
    assert _same(float(vector[0]) if vector.shape else float(vector), scalar), (text, scalar, vector)
    return scalar


# --------------------------------------------------------------------------- values

VALUE_CASES: list[tuple[str, dict[str, float], float]] = [
    # precedence and associativity
    ("1 + 2 * 3", {}, 7.0),
    ("(1 + 2) * 3", {}, 9.0),
    ("10 - 4 - 3", {}, 3.0),
    ("12 / 3 / 2", {}, 2.0),
    ("2 * 3 + 4 * 5", {}, 26.0),
    ("1 + 2 < 4", {}, 1.0),
    ("2 * 3 == 6", {}, 1.0),
    # unary minus / plus
    ("-3 + 5", {}, 2.0),
    ("2 * -3", {}, -6.0),
    ("--3", {}, 3.0),
    ("+3", {}, 3.0),
    ("-x", {"x": 4.0}, -4.0),
    # power
    ("2 ^ 10", {}, 1024.0),
    ("2 ** 10", {}, 1024.0),
    ("2 ^ 3 ^ 2", {}, 512.0),
    ("2 ** 3 ** 2", {}, 512.0),
    ("(2 ^ 3) ^ 2", {}, 64.0),
    ("-3 ^ 2", {}, -9.0),
    ("(-3) ^ 2", {}, 9.0),
    ("2 ^ -1", {}, 0.5),
    ("2 ^ -3 ^ 2", {}, 2.0**-9),
    ("4 ^ 0.5", {}, 2.0),
    ("x ^ 0", {"x": 7.0}, 1.0),
    ("x ^ 3", {"x": -2.0}, -8.0),
    ("x ^ 1.5", {"x": 4.0}, 8.0),
    ("x ^ 50%", {"x": 9.0}, 3.0),
    # numbers
    ("85%", {}, 0.85),
    ("12.5%", {}, 0.125),
    ("50% * 200", {}, 100.0),
    (".5 + 1e3", {}, 1000.5),
    ("1.5e-1", {}, 0.15),
    ("2.", {}, 2.0),
    # functions
    ("min(3, 1, 2)", {}, 1.0),
    ("max(3, 1, 2)", {}, 3.0),
    ("min(x, y)", {"x": -1.0, "y": 1.0}, -1.0),
    ("abs(-2.5)", {}, 2.5),
    ("floor(2.5)", {}, 2.0),
    ("floor(-2.5)", {}, -3.0),
    ("ceil(2.1)", {}, 3.0),
    ("ceil(-2.5)", {}, -2.0),
    ("clamp(15, 0, 10)", {}, 10.0),
    ("clamp(-1, 0, 10)", {}, 0.0),
    ("clamp(5, 0, 10)", {}, 5.0),
    ("sqrt(16)", {}, 4.0),
    ("sqrt(2) * sqrt(2) > 1.99", {}, 1.0),
    ("if(1 > 2, 10, 20)", {}, 20.0),
    ("if(x, 10, 20)", {"x": 0.5}, 10.0),
    ("if(x, 10, 20)", {"x": 0.0}, 20.0),
    ("if(x >= 60, x, 0)", {"x": 75.0}, 75.0),
    # comparisons
    ("1 < 2", {}, 1.0),
    ("2 < 2", {}, 0.0),
    ("2 <= 2", {}, 1.0),
    ("3 > 4", {}, 0.0),
    ("4 >= 4", {}, 1.0),
    ("2 == 2", {}, 1.0),
    ("2 != 2", {}, 0.0),
    ("x != y", {"x": 1.0, "y": 2.0}, 1.0),
    # boolean operators
    ("1 and 0", {}, 0.0),
    ("2 and 3", {}, 1.0),
    ("1 or 0", {}, 1.0),
    ("0 or 0", {}, 0.0),
    ("not 0", {}, 1.0),
    ("not 5", {}, 0.0),
    ("not 1 < 2", {}, 0.0),  # not (1 < 2)
    ("1 or 1 and 0", {}, 1.0),  # and binds tighter than or
    ("not 0 and 0", {}, 0.0),  # (not 0) and 0
    ("x > 0 and x < 10", {"x": 5.0}, 1.0),
    # round, half away from zero (四舍五入)
    ("round(2.5)", {}, 3.0),
    ("round(3.5)", {}, 4.0),
    ("round(0.5)", {}, 1.0),
    ("round(1.5)", {}, 2.0),
    ("round(2.4)", {}, 2.0),
    ("round(-0.5)", {}, -1.0),
    ("round(-2.5)", {}, -3.0),
    ("round(-2.4)", {}, -2.0),
    ("round(2.675, 2)", {}, 2.68),  # 2.675 is stored as 2.67499999999999982236431605997495353221893310546875
    ("round(-2.675, 2)", {}, -2.68),
    ("round(1.005, 2)", {}, 1.01),  # stored as 1.00499999999999989...
    ("round(0.125, 2)", {}, 0.13),
    ("round(0.285, 2)", {}, 0.29),
    ("round(1.2345, 3)", {}, 1.235),
    ("round(1.23456789, 6)", {}, 1.234568),
    ("round(x, 1)", {"x": 87.45}, 87.5),
    ("round(x / 3, 2)", {"x": 1.0}, 0.33),
    ("round(123456.5)", {}, 123457.0),
    ("round(1e20)", {}, 1e20),
    ("round(0.49999999999999994)", {}, 1.0),  # noise-stripped to 0.5 first, then away from zero
    # variables with Chinese names
    ("完成值 / 目标值 * 分值", {"完成值": 90.0, "目标值": 100.0, "分值": 10.0}, 9.0),
    ("min(value / target, 1.2) * points", {"value": 130.0, "target": 100.0, "points": 10.0}, 12.0),
]

CHINESE = frozenset({"完成值", "目标值", "分值", "value", "target", "points"})


@pytest.mark.parametrize(("text", "env", "expected"), VALUE_CASES)
def test_values(text: str, env: dict[str, float], expected: float) -> None:
    got = _both(text, env, XYZ | CHINESE)
    assert got == pytest.approx(expected, rel=1e-15, abs=0.0)


NAN_CASES = [
    "1 / 0",
    "0 / 0",
    "-1 / 0",
    "x / (y - y)",
    "sqrt(-1)",
    "0 ^ -1",
    "0 ^ -0.5",
    "(-8) ^ 0.5",
    "(-8) ^ -1.5",
    "min(1 / 0, 5)",
    "max(5, 1 / 0)",
    "min(5, 1, 0 / 0)",
    "clamp(0 / 0, 0, 1)",
    "clamp(0.5, 0 / 0, 1)",
    "round(1 / 0)",
    "floor(0 / 0) + 1",
    "(1e200 * 1e200) - (1e200 * 1e200)",
]


@pytest.mark.parametrize("text", NAN_CASES)
def test_undefined_results_are_nan(text: str) -> None:
    assert math.isnan(_both(text, {"x": 1.0, "y": 2.0}))


def test_nan_condition_counts_as_true_and_untaken_branch_nan_is_ignored() -> None:
    assert _both("if(0 / 0, 1, 2)") == 1.0
    assert _both("if(0, 1 / 0, 5)") == 5.0
    assert _both("if(x == 0, 0, 10 / x)", {"x": 0.0}) == 0.0


def test_overflow_in_products_is_inf_in_both_modes() -> None:
    assert _both("1e200 * 1e200") == math.inf
    assert _both("x ^ 3", {"x": -1e200}) == -math.inf
    assert math.isnan(_both("x ^ 1.5", {"x": 1e300}))  # fractional power overflow -> NaN


def test_names_are_the_variables_used() -> None:
    f = parse_formula("a + a * b", {"a", "b", "c"})
    assert f.names == frozenset({"a", "b"})
    assert f.text == "a + a * b"
    assert parse_formula("1 + 2", {"a"}).names == frozenset()


def test_function_names_only_act_as_functions_before_a_bracket() -> None:
    f = parse_formula("min + max(min, 1)", {"min"})
    assert f.names == frozenset({"min"})
    assert f.evaluate_scalar({"min": 3.0}) == 6.0


# --------------------------------------------------------------------------- vector mode


def test_vector_division_by_zero_gives_nan_without_warning_or_error() -> None:
    f = parse_formula("x / y", XYZ)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out = f.evaluate({"x": np.array([1.0, 0.0, -1.0, 6.0]), "y": np.array([0.0, 0.0, -0.0, 3.0])})
    assert np.isnan(out[:3]).all()
    assert out[3] == 2.0


def test_vector_invalid_operations_do_not_raise() -> None:
    f = parse_formula("sqrt(x) + x ^ 0.5 + x ^ -2 + round(x) + 1e300 * x * x", XYZ)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out = f.evaluate({"x": np.array([-1.0, 0.0, 1e300, NAN, math.inf])})
    assert out.shape == (5,)
    assert np.isnan(out[:2]).all()


def test_vector_broadcasting_and_result_is_a_fresh_array() -> None:
    x = np.array([1.0, 2.0, 3.0])
    f = parse_formula("x * y", XYZ)
    out = f.evaluate({"x": x, "y": 2.0})
    assert out.tolist() == [2.0, 4.0, 6.0]
    g = parse_formula("x", XYZ)
    out2 = g.evaluate({"x": x})
    out2[0] = 99.0
    assert x[0] == 1.0
    const = parse_formula("10", XYZ).evaluate({"x": x, "y": 2.0})
    assert const.tolist() == [10.0, 10.0, 10.0]
    assert const.dtype == np.float64
    assert parse_formula("x + 1", XYZ).evaluate({"x": np.array([1, 2])}).dtype == np.float64


def test_missing_variable_value_is_reported() -> None:
    f = parse_formula("x + y", XYZ)
    with pytest.raises(FormulaError, match=r"^no value for variable 'y' at position 5$"):
        f.evaluate({"x": np.array([1.0])})
    with pytest.raises(FormulaError, match="no value for variable 'y'"):
        f.evaluate_scalar({"x": 1.0})


# --------------------------------------------------------------------------- errors

NAMES = frozenset({"value", "target", "a", "b"})

ERROR_CASES: list[tuple[str, str]] = [
    ("", "empty formula at position 1"),
    ("   ", "empty formula at position 1"),
    ("value + foo", "unknown variable 'foo' at position 9"),
    ("foo(1)", "unknown function 'foo' at position 1"),
    ("1 + MIN(1, 2)", "unknown function 'MIN' at position 5"),
    ("value(2)", "unknown function 'value' at position 1"),
    ("value $ 2", "unexpected character '$' at position 7"),
    ("value % 2", "unexpected character '%' at position 7"),
    ("a = 1", "unexpected character '=' (use '==' to compare) at position 3"),
    ("min（1, 2）", "unexpected character '（' (use '(') at position 4"),
    ("1 +", "unexpected end of formula at position 4"),
    ("1 2", "unexpected '2' at position 3"),
    ("value target", "unexpected 'target' at position 7"),
    (")", "unexpected ')' at position 1"),
    ("a and", "unexpected end of formula at position 6"),
    ("a + not b", "unexpected 'not' at position 5"),
    ("min(1,)", "unexpected ')' at position 7"),
    ("(1 + 2", "missing ')' at position 7"),
    ("min(1, 2 3)", "expected ')' but found '3' at position 10"),
    ("1e", "malformed number '1e' at position 1"),
    ("2 * 1e+", "malformed number '1e+' at position 5"),
    ("1e999", "number '1e999' is too large at position 1"),
    ("min(1)", "min() takes at least 2 arguments, got 1 at position 1"),
    ("max()", "max() takes at least 2 arguments, got 0 at position 1"),
    ("abs(1, 2)", "abs() takes exactly 1 argument, got 2 at position 1"),
    ("clamp(1, 2)", "clamp() takes exactly 3 arguments, got 2 at position 1"),
    ("a + if(1, 2)", "if() takes exactly 3 arguments, got 2 at position 5"),
    ("1 + round(1, 2, 3)", "round() takes 1 or 2 arguments, got 3 at position 5"),
    ("round(value, 7)", "round() digits must be a whole number from 0 to 6 at position 14"),
    ("round(value, 1.5)", "round() digits must be a whole number from 0 to 6 at position 14"),
    ("round(value, a)", "round() digits must be a whole number from 0 to 6 at position 14"),
    ("round(value, -1)", "round() digits must be a whole number from 0 to 6 at position 14"),
    ("value ^ 11", "the exponent must be between -10 and 10 at position 9"),
    ("value ^ -11", "the exponent must be between -10 and 10 at position 9"),
    ("value ^ 10.5", "the exponent must be between -10 and 10 at position 9"),
    ("value ^ 2 ^ 4", "the exponent must be between -10 and 10 at position 9"),
    ("value ^ 2 ^ 11", "the exponent must be between -10 and 10 at position 13"),
    ("value ^ value", "the exponent must be a plain number, e.g. x ^ 2 at position 9"),
    ("value ** (2)", "the exponent must be a plain number, e.g. x ^ 2 at position 10"),
    ("value ^ 2 * a ^ b", "the exponent must be a plain number, e.g. x ^ 2 at position 17"),
    ("1 < 2 < 3", "comparisons cannot be chained (write 'a < b and b < c') at position 7"),
    ("a == b != 1", "comparisons cannot be chained (write 'a < b and b < c') at position 8"),
]


@pytest.mark.parametrize(("text", "message"), ERROR_CASES)
def test_errors_have_exact_positions(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula(text, NAMES)
    assert str(info.value) == message
    err = info.value
    assert isinstance(err, ValueError)
    assert message == f"{err.message} at position {err.position + 1}"


def test_formula_error_pickles() -> None:
    err = FormulaError("unknown variable 'foo'", 6)
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.position, str(again)) == (
        err.message,
        6,
        "unknown variable 'foo' at position 7",
    )


# --------------------------------------------------------------------------- no eval


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        '__import__("os").system("ls")',
        "().__class__",
        "().__class__.__bases__[0].__subclasses__()",
        "a.b",
        "a.__class__",
        "a[0]",
        "'abc'",
        '"abc"',
        "lambda: 1",
        "lambda x: x",
        "[1, 2]",
        "{1: 2}",
        "a if b else 1",
        "open('/etc/passwd')",
        "eval('1')",
        "exec('1')",
        "compile('1', 'f', 'eval')",
        "globals()",
        "a; b",
        "a := 1",
        "1 # comment",
        "f'{a}'",
        "a @ b",
        "a // b",
        "a % b",
        "a ** b",
        "x.real",
        "1 + \\\n 2",
        "`a`",
    ],
)
def test_python_constructs_are_rejected(text: str) -> None:
    with pytest.raises(FormulaError):
        parse_formula(text, {"a", "b", "x"})


def test_item_38_package_does_not_use_eval_exec_compile_or_ast() -> None:
    files = sorted(Path(formula_module.__file__).parent.glob("*.py"))
    assert len(files) > 3  # every module of the package, not just __init__
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(eval|exec|compile)\s*\(", source), path
        assert not re.search(r"^\s*(import\s+ast|from\s+ast\s+import)\b", source, re.MULTILINE), path
        assert "__import__" not in source, path


def test_parse_and_evaluate_work_without_eval_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("forbidden builtin called")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    f = parse_formula("round(min(x / y, 1.2) * 100, 1) + if(x > y, 1, 0) - sqrt(4) ^ 2", XYZ)
    assert f.evaluate_scalar({"x": 1.0, "y": 3.0}) == 33.3 - 4.0
    assert f.evaluate({"x": np.array([1.0]), "y": np.array([3.0])})[0] == 33.3 - 4.0


# --------------------------------------------------------------------------- bounds


def test_item_38_length_bound() -> None:
    ok = "a" + " " * (MAX_LENGTH - 1)
    assert parse_formula(ok, NAMES).names == {"a"}
    with pytest.raises(FormulaError) as info:
        parse_formula("a" + " " * MAX_LENGTH, NAMES)
    assert info.value.position == MAX_LENGTH
    assert str(info.value) == f"formula is longer than {MAX_LENGTH} characters at position {MAX_LENGTH + 1}"
    with pytest.raises(FormulaError):
        parse_formula("1+" * 500 + "1", NAMES)  # 1001 characters


def test_item_38_depth_bound_brackets() -> None:
    parse_formula("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH, NAMES)
    deep = "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1)
    with pytest.raises(FormulaError, match=f"nested too deeply .* at position {MAX_DEPTH + 1}$"):
        parse_formula(deep, NAMES)


def test_depth_bound_unary_and_functions() -> None:
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse_formula("-" * (MAX_DEPTH + 1) + "a", NAMES)
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse_formula("not " * (MAX_DEPTH + 1) + "a", NAMES)
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse_formula("abs(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), NAMES)
    # 1000 characters of brackets must not blow Python's recursion limit
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse_formula("(" * MAX_LENGTH, NAMES)


def test_depth_bound_is_on_the_syntax_tree() -> None:
    # a left-leaning chain: "a+a+...+a" with k plus signs has depth k + 1
    parse_formula("a" + "+a" * (MAX_DEPTH - 1), NAMES)
    with pytest.raises(FormulaError) as info:
        parse_formula("a" + "+a" * MAX_DEPTH, NAMES)
    assert "nested too deeply" in info.value.message
    assert info.value.position == 2 * MAX_DEPTH - 1  # the last "+"


def test_node_bound() -> None:
    ok = "min(" + ", ".join(["1"] * (MAX_NODES - 1)) + ")"
    parse_formula(ok, NAMES)
    too_many = "min(" + ", ".join(["1"] * MAX_NODES) + ")"
    with pytest.raises(FormulaError) as info:
        parse_formula(too_many, NAMES)  # MAX_NODES literals fit; the call node is one too many
    assert "too long" in info.value.message
    assert info.value.position == 0
    way_too_many = "min(" + ", ".join(["1"] * (MAX_NODES + 1)) + ")"
    with pytest.raises(FormulaError) as info:
        parse_formula(way_too_many, NAMES)
    assert info.value.position == 4 + 3 * MAX_NODES  # the first literal over the limit
    chain = "a" + "+a" * 20
    with pytest.raises(FormulaError, match="too long"):
        parse_formula(" + ".join(f"({chain})" for _ in range(8)), NAMES)  # 8 * 41 nodes, shallow


def test_item_38_exponent_bound() -> None:
    assert parse_formula(f"a ^ {MAX_EXPONENT}", NAMES).evaluate_scalar({"a": 2.0}) == 1024.0
    assert parse_formula(f"a ^ -{MAX_EXPONENT}", NAMES).evaluate_scalar({"a": 2.0}) == 1 / 1024
    with pytest.raises(FormulaError, match="exponent"):
        parse_formula(f"a ^ {MAX_EXPONENT + 1}", NAMES)


# --------------------------------------------------------------------------- render


def test_render_example() -> None:
    f = parse_formula("min(value / target, 1.2) * points", {"value", "target", "points"})
    assert f.render({"value": 87.5, "target": 100, "points": 10}) == "min(87.5 / 100, 1.2) * 10"


def test_render_number_formats() -> None:
    f = parse_formula("完成值 / 目标值 + a - b", {"完成值", "目标值", "a", "b"})
    env = {"完成值": 1 / 3, "目标值": 100.0, "a": -2.5, "b": -0.0}
    assert f.render(env) == "0.3333 / 100 + (-2.5) - 0"
    g = parse_formula("a+a*b", {"a", "b"})
    assert g.render({"a": 0.12345, "b": 1e6}) == "0.1235+0.1235*1000000"
    assert g.render({"a": NAN, "b": math.inf}) == "NaN+NaN*inf"


# --------------------------------------------------------------------------- Hypothesis

NUMBERS = ["0", "1", "2", "0.5", "3.25", "10", "1e3", "85%", ".5", "0.1", "2.675", "1e-3"]
EXPONENTS = ["0", "1", "2", "3", "-1", "-2", "10", "0.5", "1.5", "-0.5", "2.5", "-3", "2 ^ 3", "-2 ^ 2"]


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["x", "y", "z"]) | st.sampled_from(NUMBERS)

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binop = st.sampled_from(["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"])
        fn1 = st.sampled_from(["abs", "floor", "ceil", "sqrt", "round"])
        return st.one_of(
            st.tuples(children, binop, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from(["-", "+", "not "]), children).map(lambda t: f"({t[0]}{t[1]})"),
            st.tuples(children, st.sampled_from(EXPONENTS)).map(lambda t: f"({t[0]}) ^ {t[1]}"),
            st.tuples(fn1, children).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(children, st.integers(0, 6)).map(lambda t: f"round({t[0]}, {t[1]})"),
            st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"
            ),
            st.tuples(st.sampled_from(["clamp", "if"]), children, children, children).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]}, {t[3]})"
            ),
        )

    return st.recursive(leaves, extend, max_leaves=12)


SPECIAL = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    -2.5,
    2.675,
    1e-9,
    1e6,
    1e308,
    -1e308,
    5e-324,
    NAN,
    math.inf,
    -math.inf,
]
VALUES = st.one_of(
    st.sampled_from(SPECIAL),
    st.floats(min_value=-1000, max_value=1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-20, 20).map(lambda i: i / 8),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_expressions(),
    rows=st.lists(st.tuples(VALUES, VALUES, VALUES), min_size=1, max_size=8),
)
def test_vector_and_scalar_agree_bit_for_bit(text: str, rows: list[tuple[float, float, float]]) -> None:
    f = parse_formula(text, XYZ)
    xs, ys, zs = (np.array(col, dtype=np.float64) for col in zip(*rows, strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vector = f.evaluate({"x": xs, "y": ys, "z": zs})
    assert vector.shape == (len(rows),)
    for i, (x, y, z) in enumerate(rows):
        scalar = f.evaluate_scalar({"x": x, "y": y, "z": z})
        assert isinstance(scalar, float)
        assert _same(float(vector[i]), scalar), (text, (x, y, z), float(vector[i]), scalar)


ELEMENTWISE = [
    "ceil(x)",
    "floor(x)",
    "round(x)",
    "round(x, 3)",
    "abs(x)",
    "sqrt(x)",
    "-x",
    "not x",
    "x ^ 0.5",
    "x ^ -1",
    "x ^ 3",
    "x / y",
    "x * y",
    "x - y",
    "min(x, y)",
    "max(x, y)",
    "clamp(x, y, 1)",
    "if(x, y, -y)",
    "x < y",
    "x == y",
    "x and y",
    "x or y",
]


@pytest.mark.parametrize("text", ELEMENTWISE)
def test_special_values_agree_bit_for_bit(text: str) -> None:
    """Every pair of special values (signed zeros, NaN, infinities, halves) through each operation."""
    f = parse_formula(text, XYZ)
    pairs = [(a, b) for a in SPECIAL for b in SPECIAL]
    xs = np.array([a for a, _ in pairs])
    ys = np.array([b for _, b in pairs])
    vector = f.evaluate({"x": xs, "y": ys})
    for i, (a, b) in enumerate(pairs):
        assert _same(float(vector[i]), f.evaluate_scalar({"x": a, "y": b})), (text, a, b)


@settings(max_examples=200, deadline=None)
@given(text=_expressions(), x=VALUES)
def test_scalar_inputs_broadcast_like_arrays(text: str, x: float) -> None:
    f = parse_formula(text, XYZ)
    out = f.evaluate({"x": x, "y": np.array([x, 1.0]), "z": 2.0})
    assert out.shape == (2,)
    assert _same(float(out[0]), f.evaluate_scalar({"x": x, "y": x, "z": 2.0}))


@settings(max_examples=200, deadline=None)
@given(x=VALUES, y=VALUES)
def test_division_by_zero_vector_is_nan_never_raises(x: float, y: float) -> None:
    f = parse_formula("x / (y * 0) + y / 0 - x / z", XYZ)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = f.evaluate({"x": np.array([x, y]), "y": np.array([y, x]), "z": np.zeros(2)})
    assert np.isnan(out).all()
    assert math.isnan(f.evaluate_scalar({"x": x, "y": y, "z": 0.0}))


TOKENS = [
    "x",
    "y",
    "q",
    "1",
    "2.5",
    "%",
    "e",
    "(",
    ")",
    ",",
    "+",
    "-",
    "*",
    "/",
    "^",
    "**",
    "<",
    "==",
    "and",
    "or",
    "not",
    "min",
    "round",
    "if",
    "clamp",
    " ",
    ".",
    "[",
    "'",
]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=40), st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)))
def test_item_38_parser_only_raises_formula_error(text: str) -> None:
    try:
        f = parse_formula(text, XYZ)
    except FormulaError as err:
        assert 0 <= err.position <= len(text)
        assert str(err).endswith(f" at position {err.position + 1}")
    else:
        assert isinstance(f, Formula)
        assert f.names <= XYZ
        vector = f.evaluate({"x": np.array([1.0, 0.0]), "y": np.array([-2.0, 0.0]), "z": 3.0})
        scalar = [f.evaluate_scalar({"x": a, "y": b, "z": 3.0}) for a, b in ((1.0, -2.0), (0.0, 0.0))]
        assert all(_same(float(v), s) for v, s in zip(vector, scalar, strict=True))


@pytest.mark.parametrize("text", ["9**9**9", "9 ^ 9 ^ 9", "a ^ (9 ^ 9)", "a ^ 99999999999"])
def test_item_38_power_towers_are_refused_when_parsed(text: str) -> None:
    """Refused by the parser, before anything is computed (a tower would otherwise take forever)."""
    with pytest.raises(FormulaError):
        parse_formula(text, NAMES)
