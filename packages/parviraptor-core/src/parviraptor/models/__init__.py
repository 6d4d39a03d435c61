"""Job queue models: the abstract base, its factory, statuses and backoff."""

from parviraptor.models import indexes as _indexes  # noqa: F401  (connects)
from parviraptor.models.abstract import AbstractJob, BackoffStrategy, JobStatus
from parviraptor.models.factory import AbstractJobFactory

__all__ = ["AbstractJob", "AbstractJobFactory", "BackoffStrategy", "JobStatus"]
