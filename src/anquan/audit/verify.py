"""Checking the chains: the first bad event of each chain, in words an auditor can act on."""
from __future__ import annotations

from dataclasses import dataclass

from .hashing import event_hash
from .models import GENESIS, AuditAnchor, AuditChain, AuditEvent


@dataclass
class Problem:
    chain: str
    seq: int | None
    event_id: int | None
    message: str

    def __str__(self):
        where = f"链 {self.chain}"
        if self.seq is not None:
            where += f" 第{self.seq}号事件"
        if self.event_id is not None:
            where += f"（id={self.event_id}）"
        return f"{where}：{self.message}"


def verify_chain(chain: AuditChain) -> Problem | None:
    expected_seq, prev = 1, GENESIS
    hashes: dict[int, str] = {}
    events = AuditEvent.objects.filter(chain=chain).order_by("seq", "id").iterator(chunk_size=2000)
    for event in events:
        if event.seq != expected_seq:
            what = "缺失（被删除）" if event.seq > expected_seq else "重复或被插入"
            return Problem(chain.key, expected_seq, event.id, f"序号不连续，第{expected_seq}号事件{what}")
        if event.prev_hash != prev:
            return Problem(chain.key, event.seq, event.id, "前序哈希不符（事件被插入、删除或调换）")
        if event_hash(event, chain.key) != event.hash:
            return Problem(chain.key, event.seq, event.id, "内容哈希不符（事件被篡改）")
        hashes[event.seq] = event.hash
        prev = event.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if chain.last_seq != last_seq or chain.last_hash != prev:
        return Problem(chain.key, last_seq + 1, None, f"链尾缺失：链头记录到第{chain.last_seq}号，实际只到第{last_seq}号")
    for anchor in AuditAnchor.objects.filter(chain=chain).order_by("day"):
        if hashes.get(anchor.seq) != anchor.hash:
            return Problem(chain.key, anchor.seq, None, f"与{anchor.day}的每日锚点不符（链尾被截断或改写）")
    return None


def verify_all() -> list[Problem]:
    problems = []
    for chain in AuditChain.objects.order_by("key"):
        problem = verify_chain(chain)
        if problem:
            problems.append(problem)
    return problems
