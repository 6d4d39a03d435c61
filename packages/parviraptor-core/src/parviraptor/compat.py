"""Names kept for code written against the single-package parviraptor 2.x/4.x.

The one place of parviraptor-core's old names: each stands for a current
one and has no behaviour of its own; the modules where the original had them
re-export them from here. It imports nothing of parviraptor at its top, so
that any module may import it.

``AbstractJob.Status`` (= ``JobStatus``) is no old name but the contract's,
and so is defined on ``AbstractJob`` itself (a mixin holding it would be
written into every job model's migrations as a base class).
"""

from __future__ import annotations

from typing import Any

__all__ = ["abstract_module_attribute"]


def abstract_module_attribute(name: str) -> Any:
    """Old names of ``parviraptor.models.abstract`` (its module ``__getattr__``).

    ``AbstractJobFactory``: ``parviraptor.models.AbstractJobFactory``, which
    the original defined in ``parviraptor.models.abstract`` (2.x, 4.x).
    """
    if name == "AbstractJobFactory":
        from parviraptor.models.factory import AbstractJobFactory

        return AbstractJobFactory
    raise AttributeError(
        f"module 'parviraptor.models.abstract' has no attribute {name!r}"
    )
