"""Which local TCP ports a process's sockets use (Linux ``/proc``).

The database server knows each session's client port; this maps worker
processes to their sessions so that faults hit exactly the workers.
"""

from __future__ import annotations

import os
from pathlib import Path


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:  # the process is gone
        pass
    return inodes


def _ports_by_inode() -> dict[str, int]:
    ports: dict[str, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, inode = fields[1], fields[9]
            ports[inode] = int(local.rpartition(":")[2], 16)
    return ports


def client_ports(pids: list[int]) -> dict[int, set[int]]:
    """Per pid, the local ports of its TCP sockets."""
    by_inode = _ports_by_inode()
    return {
        pid: {by_inode[i] for i in _socket_inodes(pid) if i in by_inode} for pid in pids
    }
