from celery import Celery

from inspection.environment import choose_settings

choose_settings()

app = Celery("inspection")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
