"""Cell values both ways: numbers Excel can hold exactly, ``_xHHHH_`` escapes, lists, period
weights and YAML flow text on writing; the converters of each column kind on reading."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

_YES = {"是", "yes", "y", "true", "t", "1", "√", "✓", "对"}
_NO = {"否", "no", "n", "false", "f", "0", "×", "✗", "错"}
_NONE_WORDS = {"无", "none", "null", "不限"}
_LIST_SEPARATORS = ",，、;；\n"
_SPLIT_LIST = re.compile(r"[,，、;；\n]")
_PAIR = re.compile(r"[:：]")
# Unicode White_Space, what the code pattern's ``\s`` refuses; str.strip() would also eat \x1c-\x1f.
_WHITE = ("\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B))
          + "\u2028\u2029\u202f\u205f\u3000")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LITERAL = re.compile("_(?=x[0-9A-Fa-f]{4}(?:_|[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]))")
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


# --------------------------------------------------------------------------- cell text helpers


def _escape(text: str) -> str:
    """Excel's ``_xHHHH_`` escapes for characters XML cannot hold (and for literal escapes)."""
    text = _ESCAPE_LITERAL.sub("_x005F_", text)
    return _XML_BAD.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _strip(text: str) -> str:
    return text.strip(_WHITE)


def _num_text(v: float) -> str:
    if isinstance(v, int):
        return str(v)
    if math.isfinite(v) and v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def _num_cell(v: float) -> float | str:
    """A number as Excel can hold it exactly, else as text that reads back exactly."""
    if isinstance(v, int):
        return v if abs(v) < 2**53 else str(v)
    if not math.isfinite(v):
        return repr(v)
    if v.is_integer() and abs(v) < 2**53:
        return int(v)
    if float(f"{v:.16g}") == v:  # openpyxl writes 16 significant digits
        return v
    return repr(v)


class _FlowDumper(yaml.SafeDumper):
    """YAML flow text that stays on one line (line breaks inside strings are escaped)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(c in value for c in "\n\r\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FlowDumper.add_representer(str, _represent_str)


def _plain(value: Any) -> Any:
    """Model data as YAML-friendly values: tuples as lists, whole floats as integers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _yaml_flow(value: Any) -> str:
    text = yaml.dump(_plain(value), Dumper=_FlowDumper, default_flow_style=True, allow_unicode=True,
                     width=2**30, sort_keys=False)
    return text.strip()


def _list_text(items: Sequence[str], sep: str = ", ") -> str:
    plain = sep.join(items)
    if (not items or any(not s or s != _strip(s) or any(c in s for c in _LIST_SEPARATORS) for s in items)
            or plain.startswith(("[", "{"))):
        return _yaml_flow(list(items))
    return plain


def _weights_text(weights: dict[str, float]) -> str:
    keys = list(weights)
    if (not keys or any(not k or k != _strip(k) or any(c in k for c in _LIST_SEPARATORS + ":：") for k in keys)
            or keys[0].startswith(("[", "{"))):
        return _yaml_flow(weights)
    return ", ".join(f"{k}:{_num_text(v)}" for k, v in weights.items())


# --------------------------------------------------------------------------- reading cells


class _CellError(Exception):
    """A cell value that cannot be used; the message is for the clerk."""


@dataclass(frozen=True)
class _Bad:
    """A cell whose value is unusable whatever column it is in (error value, unsaved formula)."""

    message: str


_DATE_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)
_DATE_HINT = "Excel turned this into a date or time ({}); type it as text (start it with an apostrophe ')"


def _check_raw(v: Any) -> None:
    if isinstance(v, _Bad):
        raise _CellError(v.message)


def _as_text(v: Any) -> str | None:
    """Free text, kept exactly as typed."""
    _check_raw(v)
    if v is None or v == "":
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        return _num_text(v)
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    if isinstance(v, _DATE_TYPES):
        return str(v) if isinstance(v, dt.timedelta) else v.isoformat()
    return str(v)


def _as_code(v: Any) -> str | None:
    _check_raw(v)
    if v is None:
        return None
    if isinstance(v, bool):
        raise _CellError(f"expected a code or text, not {v}")
    if isinstance(v, int | float):
        return _num_text(v)
    if isinstance(v, _DATE_TYPES):
        raise _CellError(_DATE_HINT.format(v))
    return _strip(str(v)) or None


def _as_enum(v: Any) -> str | None:
    s = _as_code(v)
    return s.lower() if s is not None else None


def _as_number(v: Any) -> float | None:
    _check_raw(v)
    if v is None:
        return None
    if isinstance(v, bool):
        raise _CellError(f"not a number: {v}")
    if isinstance(v, int | float):
        return v
    if isinstance(v, _DATE_TYPES):
        raise _CellError(_DATE_HINT.format(v))
    s = _strip(str(v))
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        raise _CellError(f"not a number: {v!r}") from None


def _as_min_score(v: Any) -> float | str | None:
    """A number, or the word 无 for no minimum (returned as the marker ``"none"``)."""
    if isinstance(v, str) and _strip(v).lower() in _NONE_WORDS:
        return "none"
    return _as_number(v)


def _as_int(v: Any) -> int | None:
    n = _as_number(v)
    if n is None:
        return None
    if isinstance(n, int):
        return n
    if not n.is_integer():
        raise _CellError(f"not a whole number: {v!r}")
    return int(n)


def _as_bool(v: Any) -> bool | None:
    _check_raw(v)
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    s = _strip(str(v)).lower()
    if not s:
        return None
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise _CellError(f"expected 是 or 否 (yes/no), not {v!r}")


def _load_yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at character {mark.column + 1}" if mark is not None and mark.line == 0 else ""
        raise _CellError(f"not valid YAML flow text{where}: {getattr(e, 'problem', None) or e}") from None


def _as_yaml(v: Any) -> Any:
    _check_raw(v)
    if v is None:
        return None
    if isinstance(v, _DATE_TYPES):
        raise _CellError(_DATE_HINT.format(v))
    if not isinstance(v, str):
        return v
    if not _strip(v):
        return None
    return _load_yaml(v)


def _scalar_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None or isinstance(v, dict | list):
        raise _CellError(f"expected text, not {v!r}")
    if isinstance(v, int | float):
        return _num_text(v)
    return str(v)


def _as_list(v: Any) -> list[str] | None:
    _check_raw(v)
    if v is None:
        return None
    if isinstance(v, _DATE_TYPES):
        raise _CellError(_DATE_HINT.format(v))
    if isinstance(v, int | float) and not isinstance(v, bool):
        return [_num_text(v)]
    s = str(v)
    if not _strip(s):
        return None
    if _strip(s).startswith("["):
        data = _load_yaml(s)
        if not isinstance(data, list):
            raise _CellError("a cell starting with '[' must be a YAML flow list such as [a, b]")
        return [_scalar_text(x) for x in data]
    return [p for p in (_strip(x) for x in _SPLIT_LIST.split(s)) if p]


def _as_weights(v: Any) -> dict[str, Any] | None:
    _check_raw(v)
    if v is None:
        return None
    if isinstance(v, _DATE_TYPES):
        raise _CellError(_DATE_HINT.format(v))
    s = str(v)
    if not _strip(s):
        return None
    if _strip(s).startswith("{"):
        data = _load_yaml(s)
        if not isinstance(data, dict):
            raise _CellError("a cell starting with '{' must be a YAML flow mapping such as {2024-H1: 30}")
        return {_scalar_text(k): w for k, w in data.items()}
    out: dict[str, Any] = {}
    for piece in _SPLIT_LIST.split(s):
        if not _strip(piece):
            continue
        parts = _PAIR.split(piece, maxsplit=1)
        if len(parts) != 2 or not _strip(parts[0]):
            raise _CellError(f"write period weights as period:weight pairs, e.g. 2024-H1:30, 2024-Y:60 (not {piece!r})")
        key = _strip(parts[0])
        if key in out:
            raise _CellError(f"period '{key}' is given twice")
        try:
            out[key] = _as_number(parts[1])
        except _CellError:
            raise _CellError(f"the weight of '{key}' is not a number: {_strip(parts[1])!r}") from None
        if out[key] is None:
            raise _CellError(f"period '{key}' has no weight")
    return out


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "code": _as_code,
    "text": _as_text,
    "enum": _as_enum,
    "number": _as_number,
    "int": _as_int,
    "bool": _as_bool,
    "list": _as_list,
    "weights": _as_weights,
    "yaml": _as_yaml,
    "min_score": _as_min_score,
}


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not _strip(v))

