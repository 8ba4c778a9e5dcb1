"""The canonical form of an audit event and its hash (shared by writing and verifying)."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC


def canonical(event, chain_key: str) -> bytes:
    at = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    content = {
        "chain": chain_key,
        "seq": event.seq,
        "at": at,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.acting_role,
        "unit": event.acting_unit,
        "model": event.model_key,
        "object_id": event.object_id,
        "object": event.object_repr,
        "action": event.action,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "prev": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(event, chain_key: str) -> str:
    return hashlib.sha256(canonical(event, chain_key)).hexdigest()
