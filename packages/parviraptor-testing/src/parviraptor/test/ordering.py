"""Checking that the jobs of each ordered key finished in id order.

The completion order is read from ``modification_date``, which the worker
sets with the database's clock when a job finishes. Equal timestamps count
as in order: SQLite's clock has millisecond resolution only.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from parviraptor.models import AbstractJob

__all__ = ["OrderViolation", "find_order_violations"]


@dataclass(frozen=True)
class OrderViolation:
    """Job ``later_pk`` finished before the earlier job ``earlier_pk`` of its key."""

    key: dict[str, Any]
    earlier_pk: Any
    later_pk: Any
    earlier_finished: Any
    later_finished: Any

    def __str__(self) -> str:
        key = ", ".join(f"{k}={v!r}" for k, v in self.key.items()) or "whole queue"
        return (
            f"key ({key}): job #{self.later_pk} finished at {self.later_finished}, "
            f"before the earlier job #{self.earlier_pk} at {self.earlier_finished}"
        )


def find_order_violations(job_class: type[AbstractJob]) -> list[OrderViolation]:
    """Every pair of consecutive same-key jobs that finished out of id order.

    Independent queues have no keys and never violate anything.
    """
    violations = []
    for key in job_class.get_queryset_filters_for_disjoint_queues():
        rows = list(
            job_class._default_manager.filter(**key)
            .order_by("pk")
            .values_list("pk", "modification_date")
        )
        for (pk, finished), (next_pk, next_finished) in pairwise(rows):
            if next_finished < finished:
                violations.append(
                    OrderViolation(key, pk, next_pk, finished, next_finished)
                )
    return violations
