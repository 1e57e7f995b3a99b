from . import navigation as nav


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    return {
        "nav_entries": nav.entries_for(user),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
