from celery import Celery

from inspection.environment import choose_settings

choose_settings()

app = Celery("inspection")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id reaches the tasks a request queued (inspection/core/request_id.py).
from inspection.core.request_id import connect_celery_signals  # noqa: E402

connect_celery_signals()
