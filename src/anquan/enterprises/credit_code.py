"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

The alphabet leaves out I, O, Z, S and V so that no character looks like a digit;
the check character is ``31 - (Σ value × weight mod 31)`` with 31 meaning 0.
"""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {c: i for i, c in enumerate(ALPHABET)}


def check_char(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    """Upper-case and strip spaces (people paste codes with spaces and in lower case)."""
    return "".join((code or "").split()).upper()


def problem(code: str) -> str | None:
    """A Chinese explanation of what is wrong with ``code``, or None when it is valid."""
    code = normalize(code)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用I、O、Z、S、V）"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为行政区划代码（数字）"
    expected = check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（第18位应为{expected}）"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def make(prefix17: str) -> str:
    """Complete 17 characters with their check character (used by the demo generator)."""
    return prefix17 + check_char(prefix17)
