"""Shortcuts a higher app offers on a lower app's record page (issue 16: "移交线索" on a finding, "转为线索" on a
petition). The lower app cannot import the higher one, so the higher app registers a provider in `ready()`:
`register("findings.finding", provider)`, where `provider(user, obj)` returns {"label", "url", "icon", "id"}
or None when the user may not take that step. The record page calls `for_object(user, obj)` and renders the
links; the step itself is the higher app's own view and service."""

from collections.abc import Callable

_providers: dict[str, list[Callable]] = {}


def register(model_label: str, provider: Callable) -> None:
    providers = _providers.setdefault(model_label, [])
    if provider not in providers:
        providers.append(provider)


def for_object(user, obj) -> list[dict]:
    actions = []
    for provider in _providers.get(obj._meta.label_lower, ()):
        action = provider(user, obj)
        if action:
            actions.append(action)
    return actions
