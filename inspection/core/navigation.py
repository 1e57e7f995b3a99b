"""Navigation by role. Each app registers its entries in `AppConfig.ready()`; base.html renders them, grouped by
the stage of the work their order falls in (`GROUPS`): one dropdown per stage, so the office's seventeen entries
fit on one line at 1366 px. A stage with a single entry for the user is a plain link."""

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


# (first order, last order, label, icon): the stages of the work, in the order of the orders in CONVENTIONS.md.
GROUPS = (
    (0, 9, "", ""),
    (10, 29, "巡察准备", "flag"),
    (30, 39, "问题发现", "list-check"),
    (40, 49, "线索移交", "send"),
    (50, 59, "整改落实", "clipboard-check"),
    (60, 69, "数据统计", "bar-chart-line"),
    (70, 89, "其他", "three-dots"),
    (90, 99, "系统管理", "gear"),
)


def groups_for(user, entries: list[dict] | None = None, current: str = "") -> list[dict]:
    """The user's entries by stage: [{"label", "icon", "items", "active"}]; a group of one entry has no label
    (rendered as a link). `current` is the view name of the page, to mark the active entry and group."""
    entries = entries_for(user) if entries is None else entries
    by_order = {(e.url_name): e.order for e in _entries}
    groups = []
    for first, last, label, icon in GROUPS:
        items = [dict(item, active=item["url_name"] == current) for item in entries
                 if first <= by_order.get(item["url_name"], 70) <= last]
        if not items:
            continue
        single = not label or len(items) == 1
        groups.append({
            "label": "" if single else label,
            "icon": icon,
            "items": items,
            "active": any(item["active"] for item in items),
        })
    return groups
