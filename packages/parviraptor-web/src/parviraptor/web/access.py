"""Who may see which page: the ``PARVIRAPTOR_WEB_ACCESS`` setting.

By default ``queue-monitoring`` and ``open-queue-entries`` are public, as in
the original parviraptor (they show what a monitoring system polls), and
every other page (and every action) needs an active staff user. The setting maps page names to a policy::

    PARVIRAPTOR_WEB_ACCESS = {
        "queue-metrics": "public",                     # Prometheus scrapes it
        "queue-dashboard": "myproject.ops.can_see_queues",  # request -> bool
        "*": "superuser",                              # every page not listed
    }

Pages: ``queue-monitoring``, ``open-queue-entries``, ``queue-dashboard``,
``queue-metrics`` and ``queue-actions`` (retry / ignore from the dashboard).
A policy is one of ``"public"``, ``"authenticated"``, ``"staff"``,
``"superuser"``, a dotted path to a callable ``(request) -> bool`` or such a
callable itself. ``"*"`` sets the policy of every page not named (including
the public ones). ``queue-actions`` cannot be ``"public"`` (a
``"*": "public"`` leaves the actions at ``"staff"``).

Refused requests of an anonymous user are redirected to the login page
(see ``parviraptor.web.login``) for HTML pages and answered 403 for the
metrics and actions; a logged-in user who is refused gets 403. Without
``django.contrib.auth`` (or its middleware) there are no users: every page
that needs one answers 403, and the system check ``parviraptor_web.W001``
says so.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from parviraptor.web.login import login_page_redirect

__all__ = [
    "PAGES",
    "has_access",
    "pages_needing_a_user",
    "policy_for",
    "require_access",
]

SETTING = "PARVIRAPTOR_WEB_ACCESS"

Policy = Callable[[HttpRequest], bool]

PAGES: dict[str, str] = {
    "queue-monitoring": "public",
    "open-queue-entries": "public",
    "queue-dashboard": "staff",
    "queue-metrics": "staff",
    "queue-actions": "staff",
}


def _user(request: HttpRequest) -> Any:
    return getattr(request, "user", None)


def _public(request: HttpRequest) -> bool:
    return True


def _authenticated(request: HttpRequest) -> bool:
    user = _user(request)
    return bool(user is not None and user.is_authenticated and user.is_active)


def _staff(request: HttpRequest) -> bool:
    return _authenticated(request) and bool(_user(request).is_staff)


def _superuser(request: HttpRequest) -> bool:
    return _authenticated(request) and bool(_user(request).is_superuser)


BUILTIN: dict[str, Policy] = {
    "public": _public,
    "authenticated": _authenticated,
    "staff": _staff,
    "superuser": _superuser,
}


def configured() -> dict[str, Any]:
    """The setting's value, checked to be a dict (empty when unset)."""
    value = getattr(settings, SETTING, None)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{SETTING} must be a dict, got {value!r}")
    return value


def resolve_policy(page: str, value: Any) -> Policy:
    """The callable for one configured ``value`` of ``page``."""
    if page == "queue-actions" and value == "public":
        raise ImproperlyConfigured(f'{SETTING}["queue-actions"] cannot be "public"')
    if callable(value):
        return value
    if not isinstance(value, str):
        raise ImproperlyConfigured(f"{SETTING}[{page!r}]: {value!r} is no policy")
    if value in BUILTIN:
        return BUILTIN[value]
    if "." not in value:
        raise ImproperlyConfigured(
            f"{SETTING}[{page!r}]: unknown policy {value!r} (expected "
            f"{', '.join(BUILTIN)} or a dotted path to a callable)"
        )
    try:
        policy = import_string(value)
    except ImportError as exc:
        raise ImproperlyConfigured(f"{SETTING}[{page!r}]: {exc}") from exc
    if not callable(policy):
        raise ImproperlyConfigured(f"{SETTING}[{page!r}]: {value} is not callable")
    return policy


def policy_for(page: str) -> Policy:
    """The policy that decides who may see ``page``."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    options = configured()
    if page in options:
        value = options[page]
    else:
        value = options.get("*", PAGES[page])
        if page == "queue-actions" and value == "public":
            value = PAGES[page]  # "*": "public" opens the pages, not the actions
    return resolve_policy(page, value)


def has_access(request: HttpRequest, page: str) -> bool:
    """True if the user of ``request`` may see ``page`` (or run its actions)."""
    return bool(policy_for(page)(request))


def pages_needing_a_user() -> list[str]:
    """The pages whose policy is a built-in one that only a user passes."""
    needs_user = [policy for name, policy in BUILTIN.items() if name != "public"]
    return [page for page in PAGES if policy_for(page) in needs_user]


def require_access(
    page: str, *, login_redirect: bool = True
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: let the request through only if ``has_access(request, page)``.

    ``login_redirect=False`` answers anonymous users 403 instead of sending
    them to the login page (machine-read pages, POST actions).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if has_access(request, page):
                return view(request, *args, **kwargs)
            redirect = login_page_redirect(request) if login_redirect else None
            if redirect is not None:
                return redirect
            raise PermissionDenied(f"no access to {page}")

        return wrapped

    return decorator


def actor(request: HttpRequest) -> str:
    """The user of ``request`` as written to the log."""
    user = _user(request)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"{user.get_username()} (id {user.pk})"
