"""Where a refused anonymous visitor is sent to log in, if anywhere.

Only a visitor whom ``django.contrib.auth`` knows as anonymous (``request.user``
set by its ``AuthenticationMiddleware``) is redirected, and only to a login
page that exists: ``LOGIN_URL`` when the project sets it, else the admin's
login when the admin is routed, else Django's default ``LOGIN_URL`` when the
URLconf serves it. Everyone else is answered 403: without the auth app, its
middleware or a login page, a redirect would lead nowhere.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import global_settings, settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

__all__ = ["login_page_redirect", "login_url"]


def login_url() -> str | None:
    """The login page's URL (or URL name); None when the project has none."""
    if settings.LOGIN_URL != global_settings.LOGIN_URL:
        return str(settings.LOGIN_URL)
    try:
        return reverse("admin:login")
    except NoReverseMatch:
        pass
    default = str(global_settings.LOGIN_URL)
    try:
        resolve(default)
    except Resolver404:
        return None
    return default


def login_page_redirect(request: HttpRequest) -> HttpResponse | None:
    """A redirect to the login page for an anonymous visitor, else None."""
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return None
    if not apps.is_installed("django.contrib.auth"):
        return None
    url = login_url()
    if url is None:
        return None
    # Imported here: the module loads auth's models, absent without the app.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path(), url)
