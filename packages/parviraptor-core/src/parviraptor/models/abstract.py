"""``AbstractJob``: the fields and hooks every job queue model shares.

A queue is a concrete model deriving from a base class made by
``AbstractJobFactory.make_base_class``. The contract's columns keep the
original library's definitions (``status`` up to 32 characters with an
index, ``error_count`` a plain integer, ``error_message`` nullable) and 4.x's
index on (``modification_date``, ``status``), so that upgrading a table made
by the original only adds: the worker's bookkeeping columns below them
(``not_before``, ``claimed_by``, ``claimed_at``, ``key_head``) are nullable,
and the indexes of ``parviraptor.models.indexes`` are new ones.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar, NoReturn

from django.db import models
from django.utils import timezone

from parviraptor.compat import abstract_module_attribute
from parviraptor.exceptions import TemporaryJobFailure
from parviraptor.models import original
from parviraptor.models.statuses import BackoffStrategy, JobStatus, backoff_delay

__all__ = ["WORKER_FIELDS", "AbstractJob", "BackoffStrategy", "JobStatus"]

# What a worker alone writes for a job it processes: it decides these with
# the job's outcome (see ``AbstractJob.save``).
WORKER_FIELDS = (
    "status",
    "error_count",
    "error_message",
    "modification_date",
    "not_before",
    "claimed_by",
    "claimed_at",
    "key_head",
)

# Set in a job's ``__dict__`` by the worker from its claim until its outcome.
CLAIMED_BY_WORKER = "_parviraptor_claimed"

_SAVE_ARGUMENTS = ("force_insert", "force_update", "using", "update_fields")


class AbstractJob(models.Model):
    """A job of a queue. Subclass via ``AbstractJobFactory``, implement ``process``.

    ``dependent_fields`` says how the queue's jobs are ordered: ``None``
    independent, ``[]`` one strict FIFO queue, ``["a", ...]`` FIFO per
    combination of those fields' values. The factory's base classes set it;
    a class deriving from ``AbstractJob`` directly sets it itself (as the
    original allowed), and one that does not is misconfigured:
    ``get_dependent_fields()`` raises ``AttributeError`` as the original's
    did, and the system check ``parviraptor.E005`` reports it.
    """

    MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN: ClassVar[float] = 30
    MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN: ClassVar[float] = 960
    BACKOFF_STEP_MINUTES: ClassVar[float] = 2
    BACKOFF_STRATEGY: ClassVar[BackoffStrategy | str] = BackoffStrategy.EXPONENTIAL
    MAX_AGE_FOR_PROCESSED_JOBS_IN_DAYS: ClassVar[float | None] = 7
    RETRY_ON_WORKER_LOSS: ClassVar[bool] = True

    dependent_fields: ClassVar[list[str] | None]  # declared, not defined: see above

    #: The job statuses, as the original's ``AbstractJob.Status`` (2.x, 4.x).
    Status: ClassVar[type[JobStatus]] = JobStatus

    # The original's ways to drive one job by hand (see ``original``).
    fetch_next_job = classmethod(original.fetch_next_job)
    update_job_for_being_resumed = original.update_job_for_being_resumed

    creation_date = models.DateTimeField(auto_now_add=True)
    modification_date = models.DateTimeField(auto_now=True)
    status = models.CharField(
        max_length=32, db_index=True, choices=JobStatus.choices, default=JobStatus.NEW
    )
    error_count = models.IntegerField(default=0)
    # Nullable as in the original; NULL: no message (the worker clears it
    # when a job is PROCESSED).
    error_message = models.TextField(blank=True, null=True)  # noqa: DJ001

    not_before = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Not eligible before."
    )
    claimed_by = models.CharField(  # noqa: DJ001  (NULL: claimed by nobody)
        max_length=100, null=True, blank=True, editable=False
    )
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    key_head = models.BooleanField(
        null=True,
        default=None,
        editable=False,
        help_text="Per-key order: None unsequenced, True head of its key, "
        "False waiting behind an earlier job of its key.",
    )

    class Meta:
        abstract = True
        # 4.x's index. Unnamed: each concrete model names it as 4.x's
        # makemigrations did, so a table 4.x migrated keeps it as it is.
        indexes = [models.Index(fields=["modification_date", "status"])]

    def __str__(self) -> str:
        return f"{type(self).__name__} #{self.pk} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save the job; while a worker processes it, only the job's own fields.

        The worker owns ``status``, the bookkeeping columns and the dependent
        fields of a job it runs (``worker_owned_fields()``) and writes them
        with the job's outcome, together with the fields the job changed. A
        ``save()`` inside ``process()`` leaves them alone: it cannot break the
        worker's claim, put the job back in the queue or move it to another
        key.
        """
        if self.__dict__.get(CLAIMED_BY_WORKER):
            kwargs.update(zip(_SAVE_ARGUMENTS, args, strict=False))
            args = ()
            if not kwargs.get("force_insert"):
                own = self._own_fields(kwargs.get("update_fields"))
                kwargs["update_fields"] = own
        super().save(*args, **kwargs)

    def _own_fields(self, update_fields: Any) -> list[str]:
        owned = type(self).worker_owned_fields()
        if update_fields is None:
            update_fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and not getattr(field, "generated", False)
            ]
        return [name for name in update_fields if name not in owned]

    @classmethod
    def worker_owned_fields(cls) -> frozenset[str]:
        """Names and column attnames of the fields a worker writes for a job
        it runs: ``WORKER_FIELDS`` and the dependent fields."""
        names = {*WORKER_FIELDS, *(getattr(cls, "dependent_fields", None) or ())}
        for field in cls._meta.concrete_fields:
            if field.name in names:
                names.add(field.attname)
        return frozenset(names)

    def process(self) -> None:
        """Do the job's work. Raise an exception of ``parviraptor.exceptions``."""
        raise NotImplementedError(f"{type(self).__name__}.process() is missing")

    def is_processable(self) -> bool:
        """False: the worker puts the job back untouched and waits."""
        return True

    def on_job_terminated(self) -> None:
        """Called while ``process()`` runs when the worker is asked to stop."""

    def raise_temporary_failure(self, message: str) -> NoReturn:
        raise TemporaryJobFailure(message, self.error_count)

    @classmethod
    def get_dependent_fields(cls) -> list[str] | None:
        """A copy of ``dependent_fields``; ``AttributeError`` if there is none."""
        try:
            fields = cls.dependent_fields
        except AttributeError:
            raise AttributeError(
                f"{cls.__name__} is misconfigured: it has no 'dependent_fields' "
                "(derive it from AbstractJobFactory.make_base_class(...))"
            ) from None
        return None if fields is None else list(fields)

    @classmethod
    def is_keyed(cls) -> bool:
        """True when jobs run in order (strict FIFO or FIFO per key)."""
        return cls.get_dependent_fields() is not None

    @classmethod
    def key_attnames(cls) -> list[str]:
        """Column attribute names of the dependent fields (``shop_id`` for FKs)."""
        fields = cls.get_dependent_fields() or ()
        return [cls._meta.get_field(name).attname for name in fields]

    def key_filter(self) -> dict[str, Any]:
        """Filter kwargs selecting the jobs of this job's key."""
        return {name: getattr(self, name) for name in self.key_attnames()}

    @classmethod
    def get_queryset_filters_for_disjoint_queues(cls) -> list[dict[str, Any]]:
        """One filter per ordered sub-queue (key) present in the table.

        Jobs matching one filter run in id order; different filters are
        independent of each other. Independent queues have no ordered
        sub-queues (``[]``); a strict FIFO queue has one (``[{}]``).
        """
        if not cls.is_keyed():
            return []
        names = cls.key_attnames()
        if not names:
            return [{}] if cls._default_manager.exists() else []
        rows = cls._default_manager.order_by(*names).values_list(*names).distinct()
        return [dict(zip(names, row, strict=True)) for row in rows]

    @classmethod
    def backoff_delay(cls, error_count: int) -> timedelta:
        return backoff_delay(
            cls.BACKOFF_STRATEGY, cls.BACKOFF_STEP_MINUTES, error_count
        )

    @classmethod
    def count_failed_jobs(cls) -> int:
        return cls._default_manager.filter(status=JobStatus.FAILED).count()

    @classmethod
    def count_long_processing_jobs(cls) -> int:
        return cls._default_manager.filter(cls.long_processing_q()).count()

    @classmethod
    def count_long_unprocessed_jobs(cls) -> int:
        return cls._default_manager.filter(cls.long_unprocessed_q()).count()

    @classmethod
    def long_processing_q(cls) -> models.Q:
        """PROCESSING for longer than the class allows (since its claim)."""
        limit = timedelta(minutes=cls.MAX_TIMEFRAME_FOR_JOB_PROCESSING_IN_MIN)
        since = timezone.now() - limit
        return models.Q(status=JobStatus.PROCESSING) & (
            models.Q(claimed_at__lt=since)
            | models.Q(claimed_at__isnull=True, modification_date__lt=since)
        )

    @classmethod
    def long_unprocessed_q(cls) -> models.Q:
        """Waiting (NEW or DEFERRED) for longer than the class allows."""
        limit = timedelta(minutes=cls.MAX_TIMEFRAME_FOR_UNPROCESSED_JOBS_IN_MIN)
        since = timezone.now() - limit
        return models.Q(
            status__in=[JobStatus.NEW, JobStatus.DEFERRED], creation_date__lt=since
        )


def __getattr__(name: str) -> Any:
    """The original's names of this module that now live elsewhere."""
    return abstract_module_attribute(name)
