"""``AbstractJobFactory``: makes the abstract base class of a job queue."""

from __future__ import annotations

from collections.abc import Sequence

from parviraptor.models.abstract import AbstractJob

__all__ = ["AbstractJobFactory"]


class AbstractJobFactory:
    """Builds job base classes that differ in how their jobs are ordered.

    ``make_base_class(None)``: independent jobs, any order, in parallel.
    ``make_base_class([])``: one strict FIFO queue.
    ``make_base_class(["shop", "product"])``: FIFO per combination of the
    values of those fields; different combinations run in parallel.

    The concrete model adds the dependent fields itself::

        class ProductSyncJob(AbstractJobFactory.make_base_class(["shop"])):
            shop = models.ForeignKey(Shop, on_delete=models.CASCADE)

            def process(self):
                ...
    """

    @staticmethod
    def make_base_class(
        dependent_fields: Sequence[str] | None,
    ) -> type[AbstractJob]:
        if isinstance(dependent_fields, str):
            raise TypeError("dependent_fields must be a list of field names")
        fields = None if dependent_fields is None else list(dependent_fields)
        suffix = "Independent" if fields is None else "Ordered"
        # Like the original's, the base's Meta derives from AbstractJob's: a
        # model without a Meta of its own inherits its indexes.
        meta = type("Meta", (AbstractJob.Meta,), {"abstract": True})
        attrs = {"__module__": __name__, "dependent_fields": fields, "Meta": meta}
        return type(f"{suffix}JobBase", (AbstractJob,), attrs)
