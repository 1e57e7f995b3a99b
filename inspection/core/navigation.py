"""Navigation by role. Each app registers its entries in `AppConfig.ready()`; base.html renders them."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset
    order: int
    icon: str = ""


_entries: list[NavEntry] = []


def register(label: str, url_name: str, roles, order: int, icon: str = "") -> None:
    if any(e.url_name == url_name for e in _entries):
        return
    _entries.append(NavEntry(label, url_name, frozenset(roles), order, icon))


def entries_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for entry in sorted(_entries, key=lambda e: e.order):
        if not (user.is_superuser or user.role in entry.roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "icon": entry.icon, "url_name": entry.url_name})
    return items
