"""jobs.xlsx (the hazard ledgers and the workbench registers write through it): texts that look like
formulas stay text, and a lone surrogate — which cannot be encoded as UTF-8 — is dropped, not a crash."""
from __future__ import annotations

from anquan.core.tests.xlsx_checks import HOSTILE, no_formulas
from anquan.jobs import xlsx


def test_formula_like_texts_and_lone_surrogates():
    rows = [(HOSTILE, "+1+2", "-3", "@SUM(A1)", "\tx", "\ry", "#N/A"), ("半个\ud83d代理", "\udc00", "ok\x0b", "", None, 1, -2)]
    texts = no_formulas(xlsx.write_xlsx("=台账\ud800", [f"列{i}" for i in range(7)], [10] * 7, iter(rows)).read())
    for text in (HOSTILE, "+1+2", "-3", "@SUM(A1)", "\tx", "#N/A", "半个代理", "ok"):
        assert text in texts, text
