from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """Each role lands on its own home page: the entries it may use and its unread notifications."""
    return render(
        request,
        "dashboard/home.html",
        {"recent_notifications": request.user.notifications.filter(read_at__isnull=True)[:10]},
    )
