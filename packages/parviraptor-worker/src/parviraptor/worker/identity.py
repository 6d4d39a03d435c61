"""Names of worker slots: unique across hosts, processes and restarts."""

from __future__ import annotations

import os
import secrets
import socket


def process_token() -> str:
    """``host:pid:random`` for this process; the random part survives pid reuse."""
    host = socket.gethostname()[:60]
    return f"{host}:{os.getpid()}:{secrets.token_hex(4)}"


def slot_ids(count: int, token: str | None = None) -> list[str]:
    """Worker ids for ``count`` slots (threads) of one process."""
    token = token or process_token()
    return [f"{token}/{index}" for index in range(count)]
