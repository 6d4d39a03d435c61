"""System checks of parviraptor.web.

``parviraptor_web.E001``: the ``PARVIRAPTOR_WEB_ACCESS`` setting names an
unknown page or policy. ``parviraptor_web.W001``: pages whose policy needs a
user while the project has no users (no ``django.contrib.auth`` or no
``AuthenticationMiddleware``): they can never be opened and answer 403.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from parviraptor.web.access import (
    PAGES,
    SETTING,
    configured,
    pages_needing_a_user,
    resolve_policy,
)

AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


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


def _has_auth_middleware() -> bool:
    """True if ``MIDDLEWARE`` holds ``AuthenticationMiddleware`` or a subclass."""
    middleware = import_string(AUTH_MIDDLEWARE)
    for path in settings.MIDDLEWARE:
        try:
            if issubclass(import_string(path), middleware):
                return True
        except (ImportError, TypeError):
            continue
    return False


def _why_no_users() -> str | None:
    """What keeps requests from having a user, or None if nothing does."""
    if not apps.is_installed("django.contrib.auth"):
        return "django.contrib.auth is not in INSTALLED_APPS"
    if not _has_auth_middleware():
        return f"{AUTH_MIDDLEWARE} is not in MIDDLEWARE"
    return None


@checks.register(checks.Tags.security)
def check_users_available(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Warn about pages that need a user in a project without users."""
    reason = _why_no_users()
    if reason is None:
        return []
    try:
        pages = pages_needing_a_user()
    except ImproperlyConfigured:
        return []  # parviraptor_web.E001 reports the setting
    if not pages:
        return []
    return [
        checks.Warning(
            f"{reason}: the parviraptor pages {', '.join(pages)} need a user "
            "and can never be opened; they answer 403.",
            hint=f"Install django.contrib.auth with its {AUTH_MIDDLEWARE}, or "
            f"give these pages another policy in {SETTING}.",
            id="parviraptor_web.W001",
        )
    ]
