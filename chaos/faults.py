"""Faults injected while the workers run, on a schedule of their own.

- every ``kill_every`` seconds: kill -9 of a random worker, replaced at once;
- every ``term_every`` seconds: SIGTERM of another, replaced at once;
- once ``drop_at`` of the jobs are final: one dropped database connection
  per worker;
- once each of ``restart_at`` of the jobs are final: the private MariaDB
  server is restarted, or on PostgreSQL every worker connection is
  terminated.

Connection faults follow the run's progress, not the clock, so they strike
while jobs are running however fast or slow the machine is.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from chaos.fleet import Fleet
from chaos.server import Database, PrivateMariaDB
from chaos.sockets import client_ports

logger = logging.getLogger("chaos")


@dataclass
class Schedule:
    kill_every: float = 3.0
    term_every: float = 7.0
    drop_at: float = 0.25  # fractions of the jobs final
    restart_at: tuple[float, ...] = (0.5,)
    restart_pause: float = 1.5  # server down this long on top of stop + start


@dataclass
class Injector:
    """Applies the schedule; ``tick()`` is called often by the run's loop."""

    fleet: Fleet
    database: Database
    schedule: Schedule
    rng: random.Random
    started: float = field(default_factory=time.monotonic)
    counts: Counter[str] = field(default_factory=Counter)
    restarts: list[float] = field(default_factory=list)  # downtime, seconds
    _next_kill: float = 0.0
    _next_term: float = 0.0
    _dropped: bool = False
    _restarts_done: int = 0

    def __post_init__(self) -> None:
        self._next_kill = self.schedule.kill_every
        self._next_term = self.schedule.term_every

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def tick(self, progress: float) -> None:
        """Inject what is due; ``progress``: the fraction of jobs final."""
        self.fleet.reap()
        now = self.elapsed()
        if now >= self._next_kill:
            self._next_kill = now + self.schedule.kill_every
            worker = self.fleet.kill(self._random_seat())
            self.counts["kill -9"] += 1
            logger.info("kill -9 %s (%s)", worker.pid, worker.seat.model)
        if now >= self._next_term:
            self._next_term = now + self.schedule.term_every
            worker = self.fleet.terminate(self._random_seat())
            self.counts["SIGTERM"] += 1
            logger.info("SIGTERM %s (%s)", worker.pid, worker.seat.model)
        if not self._dropped and progress >= self.schedule.drop_at:
            self._dropped = True
            self._drop_one_per_worker()
        restarts = self.schedule.restart_at
        if (
            self._restarts_done < len(restarts)
            and progress >= restarts[self._restarts_done]
        ):
            self._restarts_done += 1
            self._restart()

    def missed(self) -> list[str]:
        """Scheduled faults that never struck (the jobs ran out first)."""
        missed = [] if self._dropped else ["dropped connections"]
        left = len(self.schedule.restart_at) - self._restarts_done
        return missed + [f"{left} restart(s)"] * (left > 0)

    def _random_seat(self) -> int:
        return self.rng.choice(sorted(self.fleet.live))

    def _drop_one_per_worker(self) -> None:
        ports = client_ports(self.fleet.pids())
        chosen = {self.rng.choice(sorted(p)) for p in ports.values() if p}
        dropped = self.database.drop_connections(chosen)
        self.counts["connection dropped (1 per worker)"] += dropped
        logger.info("dropped %d connections of %d workers", dropped, len(ports))

    def _restart(self) -> None:
        if isinstance(self.database, PrivateMariaDB):
            downtime = self.database.restart(self.schedule.restart_pause)
            self.restarts.append(downtime)
            self.counts["database server restart"] += 1
            logger.info("MariaDB restarted, down %.2fs", downtime)
            return
        ports = client_ports(self.fleet.pids())
        every = set().union(*ports.values()) if ports else set()
        terminated = self.database.drop_connections(every)
        self.counts["pg_terminate_backend rounds"] += 1
        self.counts["backends terminated"] += terminated
        logger.info("terminated %d PostgreSQL backends", terminated)
