"""Recursive-descent parser: formula text -> immutable syntax tree, with limits enforced.

Each grammar level of the package docstring is one ``parse_*`` method, weakest binding
first.  Node counts and nesting depth are checked as nodes are built, so an over-long or
over-deep formula is refused before anything is evaluated.
"""

from __future__ import annotations

import math

# Exponents like ``2^3^2`` are folded to one constant here with the scalar evaluator's own
# power, so the folded value is exactly what evaluating the written powers would give.
from jixiao.engine.formula.scalar import _pow_scalar
from jixiao.engine.formula.syntax import (
    _COMPARISONS,
    _END,
    _FUNCTIONS,
    _KEYWORDS,
    _MAX_ROUND_DIGITS,
    _NAME,
    _NUMBER,
    _OP,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_NODES,
    FormulaError,
    _arity_message,
    _Binary,
    _Call,
    _describe,
    _Node,
    _Num,
    _Power,
    _Round,
    _Token,
    _tokenize,
    _Unary,
    _Var,
)


class _Parser:
    def __init__(self, text: str, names: frozenset[str]) -> None:
        self.text = text
        self.names = names
        self.tokens = _tokenize(text)
        self.index = 0
        self.nodes = 0
        self.nesting = 0
        self.used: dict[str, None] = {}
        self.var_spans: list[tuple[int, int, str]] = []

    # -- helpers
    @property
    def tok(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        tok = self.tokens[self.index]
        if tok.kind != _END:
            self.index += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == _OP and self.tok.text in ops

    def at_keyword(self, word: str) -> bool:
        return self.tok.kind == _NAME and self.tok.text == word

    def unexpected(self) -> FormulaError:
        return FormulaError(f"unexpected {_describe(self.tok)}", self.tok.pos)

    def expect_close(self) -> None:
        if not self.at_op(")"):
            if self.tok.kind == _END:
                raise FormulaError("missing ')'", self.tok.pos)
            raise FormulaError(f"expected ')' but found {_describe(self.tok)}", self.tok.pos)
        self.advance()

    def enter(self, pos: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise FormulaError(f"formula is nested too deeply (more than {MAX_DEPTH} levels)", pos)

    def leave(self) -> None:
        self.nesting -= 1

    def count(self, pos: int, depth: int) -> int:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"formula is too long (more than {MAX_NODES} parts)", pos)
        if depth > MAX_DEPTH:
            raise FormulaError(f"formula is nested too deeply (more than {MAX_DEPTH} levels)", pos)
        return depth

    # -- node constructors (count and check limits)
    def num(self, value: float, pos: int) -> _Num:
        return _Num(value, pos, self.count(pos, 1))

    def var(self, name: str, pos: int) -> _Var:
        return _Var(name, pos, self.count(pos, 1))

    def unary(self, op: str, operand: _Node, pos: int) -> _Unary:
        return _Unary(op, operand, pos, self.count(pos, operand.depth + 1))

    def binary(self, op: str, left: _Node, right: _Node, pos: int) -> _Binary:
        return _Binary(op, left, right, pos, self.count(pos, max(left.depth, right.depth) + 1))

    def power(self, base: _Node, exponent: float, pos: int) -> _Power:
        return _Power(base, exponent, pos, self.count(pos, base.depth + 1))

    def round_(self, operand: _Node, digits: int, pos: int) -> _Round:
        return _Round(operand, digits, pos, self.count(pos, operand.depth + 1))

    def call(self, func: str, args: tuple[_Node, ...], pos: int) -> _Call:
        return _Call(func, args, pos, self.count(pos, max(a.depth for a in args) + 1))

    # -- grammar
    def parse(self) -> _Node:
        node = self.parse_or()
        if self.tok.kind != _END:
            raise self.unexpected()
        return node

    def parse_or(self) -> _Node:
        node = self.parse_and()
        while self.at_keyword("or"):
            pos = self.advance().pos
            node = self.binary("or", node, self.parse_and(), pos)
        return node

    def parse_and(self) -> _Node:
        node = self.parse_not()
        while self.at_keyword("and"):
            pos = self.advance().pos
            node = self.binary("and", node, self.parse_not(), pos)
        return node

    def parse_not(self) -> _Node:
        if self.at_keyword("not"):
            pos = self.advance().pos
            self.enter(pos)
            operand = self.parse_not()
            self.leave()
            return self.unary("not", operand, pos)
        return self.parse_comparison()

    def parse_comparison(self) -> _Node:
        node = self.parse_sum()
        if self.tok.kind == _OP and self.tok.text in _COMPARISONS:
            op_tok = self.advance()
            node = self.binary(op_tok.text, node, self.parse_sum(), op_tok.pos)
            if self.tok.kind == _OP and self.tok.text in _COMPARISONS:
                raise FormulaError("comparisons cannot be chained (write 'a < b and b < c')", self.tok.pos)
        return node

    def parse_sum(self) -> _Node:
        node = self.parse_product()
        while self.at_op("+", "-"):
            op_tok = self.advance()
            node = self.binary(op_tok.text, node, self.parse_product(), op_tok.pos)
        return node

    def parse_product(self) -> _Node:
        node = self.parse_unary()
        while self.at_op("*", "/"):
            op_tok = self.advance()
            node = self.binary(op_tok.text, node, self.parse_unary(), op_tok.pos)
        return node

    def parse_unary(self) -> _Node:
        if self.at_op("+", "-"):
            op_tok = self.advance()
            self.enter(op_tok.pos)
            operand = self.parse_unary()
            self.leave()
            return self.unary(op_tok.text, operand, op_tok.pos)
        return self.parse_power()

    def parse_power(self) -> _Node:
        base = self.parse_primary()
        if self.at_op("^", "**"):
            pos = self.advance().pos
            exponent = self.parse_exponent()
            return self.power(base, exponent, pos)
        return base

    def parse_exponent(self) -> float:
        """exponent := ('+' | '-')* NUMBER [('^' | '**') exponent], folded to a constant at parse time."""
        start = self.tok.pos
        negative = False
        while self.at_op("+", "-"):
            if self.advance().text == "-":
                negative = not negative
        if self.tok.kind != _NUMBER:
            raise FormulaError("the exponent must be a plain number, e.g. x ^ 2", start)
        value = self.advance().value
        if self.at_op("^", "**"):
            self.advance()
            self.enter(start)
            inner = self.parse_exponent()
            self.leave()
            value = _pow_scalar(value, inner)
        if negative:
            value = -value
        if not math.isfinite(value) or abs(value) > MAX_EXPONENT:
            raise FormulaError(f"the exponent must be between -{MAX_EXPONENT} and {MAX_EXPONENT}", start)
        return value

    def parse_primary(self) -> _Node:
        tok = self.tok
        if tok.kind == _NUMBER:
            self.advance()
            return self.num(tok.value, tok.pos)
        if tok.kind == _NAME and tok.text not in _KEYWORDS:
            self.advance()
            if self.at_op("("):
                return self.parse_call(tok)
            if tok.text not in self.names:
                raise FormulaError(f"unknown variable '{tok.text}'", tok.pos)
            self.used.setdefault(tok.text, None)
            self.var_spans.append((tok.pos, tok.pos + len(tok.text), tok.text))
            return self.var(tok.text, tok.pos)
        if self.at_op("("):
            self.advance()
            self.enter(tok.pos)
            node = self.parse_or()
            self.expect_close()
            self.leave()
            return node
        raise self.unexpected()

    def parse_call(self, name_tok: _Token) -> _Node:
        func = name_tok.text
        if func not in _FUNCTIONS:
            raise FormulaError(f"unknown function '{func}'", name_tok.pos)
        self.advance()  # "("
        self.enter(name_tok.pos)
        args: list[_Node] = []
        arg_pos: list[int] = []
        if not self.at_op(")"):
            while True:
                arg_pos.append(self.tok.pos)
                args.append(self.parse_or())
                if not self.at_op(","):
                    break
                self.advance()
        self.expect_close()
        self.leave()
        low, high = _FUNCTIONS[func]
        if len(args) < low or (high is not None and len(args) > high):
            raise FormulaError(_arity_message(func, len(args)), name_tok.pos)
        if func == "round":
            digits = 0
            if len(args) == 2:
                arg = args[1]
                if (
                    not isinstance(arg, _Num)
                    or not arg.value.is_integer()
                    or not 0 <= arg.value <= _MAX_ROUND_DIGITS
                ):
                    raise FormulaError(
                        f"round() digits must be a whole number from 0 to {_MAX_ROUND_DIGITS}", arg_pos[1]
                    )
                digits = int(arg.value)
                self.nodes -= 1  # the digits literal is folded into the round node
            return self.round_(args[0], digits, name_tok.pos)
        return self.call(func, tuple(args), name_tok.pos)
