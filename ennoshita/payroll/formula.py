"""計算式 of a pay item (PayItem.source = FORMULA): a small arithmetic language, read with Python's
``ast`` and evaluated by walking the tree — never with ``eval``.

What a formula may contain:

- numbers (``1.25``, ``10000``), written in ASCII or full width (NFKC folds ＋１２ to +12);
- ``+ - * /`` (also ``× ÷ −``) and parentheses;
- ``min(a, b, …)``, ``max(a, b, …)``, ``floor(x)`` (down to a whole number) and ``round_half(x)``
  (to a whole number by the 50銭 rule: under 0.5 down, 0.5 and over up — 昭和63年3月14日基発150号,
  the rounding the law allows for wages);
- names: other items' codes (their amounts in this payslip) and the run's figures ``base`` (基本給),
  ``hourly_base`` (割増賃金の基礎となる1時間あたりの賃金), ``days_worked``, ``worked_hours``,
  ``overtime_hours``, ``absences``.

Everything else (attributes, subscripts, other calls, comparisons, ``**``, ``%``, ``//``, strings,
lambdas …) is refused with a message in Japanese. Arithmetic is exact Decimal; the result is rounded
to whole yen by the same 50銭 rule (基発150号: 1円未満の端数は50銭未満切捨て・50銭以上切上げ).
"""

from __future__ import annotations

import ast
import decimal
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from ennoshita.core.money import Rounding, round_yen
from ennoshita.core.text import nfkc

# the figures a payroll run gives every formula (the runs part fills them)
RUN_FIGURES: dict[str, str] = {
    "base": "基本給(月額・日額・時間額)",
    "hourly_base": "割増賃金の基礎となる1時間あたりの賃金",
    "days_worked": "出勤日数",
    "worked_hours": "実労働時間(時間)",
    "overtime_hours": "時間外労働の時間(時間)",
    "absences": "欠勤日数",
}
FUNCTIONS = ("min", "max", "floor", "round_half")
MAX_LENGTH = 300
MAX_NODES = 200
MAX_ABS = Decimal(10) ** 12  # no pay item is a trillion yen: larger means a mistake
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
_SYMBOLS = str.maketrans({"×": "*", "÷": "/", "−": "-", "‐": "-", "–": "-", "ー": "-", "，": ","})
_CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN, Emax=40, Emin=-40, traps=[
    decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow
])  # fmt: skip


class FormulaError(ValueError):
    """A formula that cannot be read or evaluated; the message is for the person who wrote it."""


def _normalise(expr: str) -> str:
    return nfkc(expr or "").translate(_SYMBOLS).strip()


def normalised(expr: str) -> str:
    """The formula as stored: NFKC, × ÷ − written as * / -, outer spaces removed."""
    return _normalise(expr)


def _parse(expr: str) -> ast.Expression:
    text = _normalise(expr)
    if not text:
        raise FormulaError("計算式を入力してください。")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"計算式は{MAX_LENGTH}文字以内にしてください。")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise FormulaError(
            "計算式として読めません。数字・項目のコード・+ − × ÷・かっこの組み合わせで書いてください。"
        ) from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FormulaError("計算式が長すぎます。いくつかの項目に分けてください。")
    return tree


_OPERATORS: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: _CONTEXT.add(a, b),
    ast.Sub: lambda a, b: _CONTEXT.subtract(a, b),
    ast.Mult: lambda a, b: _CONTEXT.multiply(a, b),
    ast.Div: lambda a, b: _CONTEXT.divide(a, b),
}
_OPERATOR_TEXT = {ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@"}


def _refusal(node: ast.AST) -> str:
    """What is wrong with a node the language does not have, said plainly."""
    if isinstance(node, ast.Attribute):
        return f"「.{node.attr}」のような属性は使えません。"
    if isinstance(node, ast.Subscript):
        return "[ ] は使えません。"
    if isinstance(node, ast.Compare | ast.BoolOp | ast.IfExp):
        return "比較や条件(< > == and or if)は使えません。min・max を使ってください。"
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATOR_TEXT:
        return f"演算子「{_OPERATOR_TEXT[type(node.op)]}」は使えません。使えるのは + − × ÷ です。"
    if isinstance(node, ast.BinOp):
        return "使えるのは + − × ÷ だけです。"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "文字列は使えません。"
    if isinstance(node, ast.Constant):
        return f"「{node.value!r}」は数字ではありません。"
    if isinstance(node, ast.Lambda):
        return "lambda は使えません。"
    return "計算式に使えない書き方が含まれています。"


def _number(node: ast.Constant) -> Decimal:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormulaError(_refusal(node))
    # a float literal by its shortest repr ("1.25", "0.1"): the digits written, never the binary
    # value Python made of them (0.1 has no exact binary value)
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _call_name(node: ast.Call) -> str:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        shown = node.func.id if isinstance(node.func, ast.Name) else "この呼び出し"
        raise FormulaError(f"「{shown}」は使えません。使える関数は min・max・floor・round_half です。")
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise FormulaError(f"{node.func.id} には値をカンマで区切って渡してください。")
    name = node.func.id
    if name in ("floor", "round_half") and len(node.args) != 1:
        raise FormulaError(f"{name} には値を1つだけ渡してください(例: {name}(base / 30))。")
    if name in ("min", "max") and len(node.args) < 2:
        raise FormulaError(f"{name} には値を2つ以上渡してください(例: {name}(a, b))。")
    return name


def _check_tree(tree: ast.Expression, known: set[str], errors: list[str]) -> None:
    calls = {id(n.func) for n in ast.walk(tree.body) if isinstance(n, ast.Call)}
    for node in ast.walk(tree.body):
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            if isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant):
                try:
                    if _number(node.right) == 0:
                        errors.append("0 で割ることはできません。")
                except FormulaError:
                    pass
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            continue
        if isinstance(node, ast.Constant):
            try:
                _number(node)
            except FormulaError as exc:
                errors.append(str(exc))
            continue
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                errors.append(_refusal(node))
            elif id(node) in calls or node.id in FUNCTIONS:
                continue  # a called name is checked with its Call; a bare function name below
            elif node.id not in known:
                errors.append(f"「{node.id}」という項目コードや数字の名前はありません。")
            continue
        if isinstance(node, ast.Call):
            try:
                _call_name(node)
            except FormulaError as exc:
                errors.append(str(exc))
            continue
        if isinstance(node, ast.operator | ast.unaryop | ast.cmpop | ast.boolop | ast.expr_context):
            continue  # the operator of a BinOp/UnaryOp checked above
        errors.append(_refusal(node))
    # a function named without calling it (``min + 1``)
    for node in ast.walk(tree.body):
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and id(node) not in calls:
            errors.append(f"{node.id} は {node.id}( … ) の形で使ってください。")


def check(expr: str, known_names: Iterable[str]) -> list[str]:
    """The errors of ``expr`` (empty when it is a formula we can evaluate). ``known_names`` are
    the names it may use: other items' codes (the run figures are always known)."""
    try:
        tree = _parse(expr)
    except FormulaError as exc:
        return [str(exc)]
    errors: list[str] = []
    _check_tree(tree, set(known_names) | set(RUN_FIGURES), errors)
    return list(dict.fromkeys(errors))  # each message once, in order


def names_in(expr: str) -> set[str]:
    """The item codes and run figures ``expr`` reads (for ordering formulas and finding cycles)."""
    try:
        tree = _parse(expr)
    except FormulaError:
        return set()
    calls = {id(n.func) for n in ast.walk(tree.body) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree.body) if isinstance(n, ast.Name) and id(n) not in calls}


def _whole(value: Decimal, rule: Rounding) -> Decimal:
    return round_yen(value, rule)


def _eval(node: ast.AST, names: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Constant):
        return _number(node)
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in FUNCTIONS:
        if node.id not in names:
            raise FormulaError(f"「{node.id}」という項目コードや数字の名前はありません。")
        value = names[node.id]
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise FormulaError(f"「{node.id}」の値が数ではありません。")
        return Decimal(value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, names)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        return _eval(node.operand, names)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _eval(node.left, names), _eval(node.right, names)
        if isinstance(node.op, ast.Div) and right == 0:
            raise FormulaError("0 で割ることになりました。割る数の項目が0円でないか確かめてください。")
        try:
            result = _OPERATORS[type(node.op)](left, right)
        except decimal.DecimalException:
            raise FormulaError("計算の途中で数が大きくなりすぎました。") from None
        if abs(result) > MAX_ABS:
            raise FormulaError("計算の途中で数が大きくなりすぎました。")
        return result
    if isinstance(node, ast.Call):
        name = _call_name(node)
        args = [_eval(a, names) for a in node.args]
        if name == "min":
            return min(args)
        if name == "max":
            return max(args)
        if name == "floor":
            return _whole(args[0], Rounding.FLOOR)
        return _whole(args[0], Rounding.HALF_UP)  # round_half: 基発150号の50銭ルール
    raise FormulaError(_refusal(node))


def evaluate(expr: str, names: Mapping[str, Decimal]) -> int:
    """The formula's value in whole yen, 1円未満 by the 50銭 rule (基発150号: 50銭未満切捨て、50銭
    以上切上げ; a negative value rounds the same way away from zero). ``names`` gives each item
    code and run figure its value; a name missing from it is a FormulaError."""
    tree = _parse(expr)
    errors: list[str] = []
    _check_tree(tree, set(names) | set(RUN_FIGURES), errors)
    if errors:
        raise FormulaError(errors[0])
    return int(_whole(_eval(tree.body, names), Rounding.HALF_UP))


def is_valid_name(code: str) -> bool:
    """An item code a formula can name: ASCII letters, digits and _ starting with a letter, and
    not one of the run figures or functions."""
    return bool(NAME_RE.match(code)) and code not in RUN_FIGURES and code not in FUNCTIONS


__all__ = [
    "FUNCTIONS",
    "RUN_FIGURES",
    "FormulaError",
    "check",
    "evaluate",
    "is_valid_name",
    "names_in",
    "normalised",
]
