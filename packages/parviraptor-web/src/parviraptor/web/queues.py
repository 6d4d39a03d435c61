"""Naming the job queues in URLs and pages: ``<app_label>.<ModelName>``."""

from __future__ import annotations

from django.http import Http404

from parviraptor.models import AbstractJob
from parviraptor.utils import enumerate_job_models, resolve_job_model

__all__ = ["all_queues", "find_queue", "queue_id", "queue_kind"]

# The largest primary key any supported database stores (signed 64 bit).
MAX_PK = 2**63 - 1


def all_queues() -> list[type[AbstractJob]]:
    """Every installed job queue, in app registry order."""
    return enumerate_job_models()


def queue_id(job_class: type[AbstractJob]) -> str:
    """The queue's identifier in URLs: ``app_label.ModelName``."""
    return f"{job_class._meta.app_label}.{job_class.__name__}"


def find_queue(identifier: str) -> type[AbstractJob]:
    """The job queue named ``app_label.ModelName``; ``Http404`` for anything else."""
    app_label, dot, model_name = identifier.partition(".")
    if not dot or not app_label or not model_name:
        raise Http404("unknown job queue")
    try:
        return resolve_job_model(app_label, model_name)
    except (LookupError, TypeError):
        raise Http404("unknown job queue") from None


def find_queue_by_name(name: str) -> type[AbstractJob]:
    """A queue by ``ModelName`` or ``app_label.ModelName``; ``Http404`` else."""
    if "." in name:
        return find_queue(name)
    for job_class in all_queues():
        if job_class.__name__ == name:
            return job_class
    raise Http404("unknown job queue")


def queue_kind(job_class: type[AbstractJob]) -> str:
    """How the queue orders its jobs, in words."""
    fields = job_class.get_dependent_fields()
    if fields is None:
        return "independent"
    if not fields:
        return "strict FIFO"
    return "FIFO per " + ", ".join(fields)


def valid_pk(pk: int) -> int:
    """``pk`` if a database can hold it, else ``Http404`` (not a 500)."""
    if not 0 < pk <= MAX_PK:
        raise Http404("no such job")
    return pk
