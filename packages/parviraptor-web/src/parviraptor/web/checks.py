"""System check of the ``PARVIRAPTOR_WEB_ACCESS`` setting (``parviraptor_web.E001``)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from parviraptor.web.access import PAGES, SETTING, configured, resolve_policy


@checks.register(checks.Tags.security)
def check_access_setting(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Every key is a page (or ``"*"``), every value a usable policy."""
    try:
        options = configured()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="parviraptor_web.E001")]
    errors: list[Any] = []
    for page, value in options.items():
        if page != "*" and page not in PAGES:
            errors.append(
                checks.Error(
                    f"{SETTING}: unknown page {page!r}",
                    hint=f"Pages: {', '.join(PAGES)} or '*'.",
                    id="parviraptor_web.E001",
                )
            )
            continue
        pages = PAGES if page == "*" else [page]
        for name in pages:
            if page == "*" and (name in options or name == "queue-actions"):
                continue
            try:
                resolve_policy(name, value)
            except ImproperlyConfigured as exc:
                errors.append(checks.Error(str(exc), id="parviraptor_web.E001"))
                break
    return errors
