from inspection.accounts.roles import ALL

from . import navigation as nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    entries = nav.entries_for(user)
    business = user.is_superuser or user.role in ALL  # the administrators (三员分立) read no business records
    match = getattr(request, "resolver_match", None)
    return {
        "nav_entries": entries,
        "nav_groups": nav.groups_for(user, entries, current=match.view_name if match else ""),
        "nav_search": business,
        "nav_calendar": business,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
