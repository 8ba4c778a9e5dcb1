"""Small helpers of the rules tests."""
from __future__ import annotations

import datetime


def d(text: str) -> datetime.date:
    """``d("2026-10-01")`` — dates read like the holiday notices they come from."""
    return datetime.date.fromisoformat(text)


#: An invented 2027 schedule (the real one is published in autumn 2026): tests only.
FAKE_2027 = [
    (d("2027-01-01"), False, "元旦"),
    (d("2027-01-02"), False, "元旦"),
    (d("2027-01-03"), False, "元旦"),
    (d("2027-02-06"), False, "春节"),
    (d("2027-02-07"), False, "春节"),
    (d("2027-02-08"), False, "春节"),
    (d("2027-02-09"), False, "春节"),
    (d("2027-02-10"), False, "春节"),
    (d("2027-02-11"), False, "春节"),
    (d("2027-02-12"), False, "春节"),
    (d("2027-02-20"), True, "春节调休上班"),
]
