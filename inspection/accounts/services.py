from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, User


def notification_create(*, user: User, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, title=title, body=body, url=url)


def notifications_mark_read(*, user: User, queryset: QuerySet | None = None) -> int:
    queryset = queryset if queryset is not None else user.notifications.all()
    return queryset.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
