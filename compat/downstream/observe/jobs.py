"""Creating the jobs of a scenario, in order (ids grow with the list)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def create(model, specs: list[tuple]) -> None:
    """``specs``: ``(tag, kind, {field: value})`` or ``(tag, kind)``, in id order."""
    for spec in specs:
        tag, kind, *rest = spec
        model.objects.create(tag=tag, kind=kind, **(rest[0] if rest else {}))


def age(model, tag: str, *, minutes: int = 0, days: int = 0, field: str) -> None:
    """Move a timestamp of one row into the past, as time would have."""
    past = timezone.now() - timedelta(minutes=minutes, days=days)
    model.objects.filter(tag=tag).update(**{field: past})


def attempt(call):
    """``call()``'s value, or how it failed (an observation either way)."""
    try:
        return call()
    except AttributeError as exc:
        return f"missing: {exc.name}" if getattr(exc, "name", None) else "missing"
    except Exception as exc:
        return f"raised {type(exc).__name__}"


def present(items) -> dict[str, bool]:
    """A set as an observation: each item a key, so that each differs alone."""
    return {str(item): True for item in sorted(items)}


def clear() -> None:
    """Delete the rows of every model of the project's ``jobs`` app."""
    from django.apps import apps

    for model in apps.get_app_config("jobs").get_models():
        model.objects.all().delete()
