"""The request id: one id per web request, in the response header, in every log line, in the audit, and carried
to the Celery tasks that request queued, so an operator can follow one user action across processes."""

import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

# A proxy (nginx: `proxy_set_header X-Request-ID $request_id`) may hand us its id; anything else is replaced,
# so a client cannot inject text into the logs.
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "X-Request-ID"
TASK_HEADER = "xuncha_request_id"

current_request_id: ContextVar[str] = ContextVar("xuncha_request_id", default="")


def new_id() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    return value if value and _VALID.match(value) else new_id()


class RequestIdMiddleware:
    """First in the chain: every later middleware, view and log line of the request sees `request.id`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = accept(request.headers.get(HEADER))
        # Not reset when the response leaves the chain: Django logs 4xx/5xx (django.request) after the
        # middleware, and those lines need the id too. request_finished clears it.
        current_request_id.set(request.id)
        response = self.get_response(request)
        response.headers[HEADER] = request.id
        return response


def _clear(**_):
    current_request_id.set("")


request_finished.connect(_clear, dispatch_uid="xuncha-request-id-clear")


class RequestIdFilter:
    """A logging filter that stamps each record with the current request (or task) id."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


def connect_celery_signals():
    """The id travels in the task message's headers; the worker sets it for the task's duration, and a task
    queued by a task keeps it. Connected once from inspection.celery."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    tokens = {}

    @before_task_publish.connect(weak=False)
    def _stamp(headers=None, **_):
        rid = current_request_id.get()
        if headers is not None and rid:
            headers[TASK_HEADER] = rid

    @task_prerun.connect(weak=False)
    def _enter(task_id=None, task=None, **_):
        # Custom message headers arrive as attributes of the task request (and under `headers` in older
        # protocols). An eager task (the demo) runs inside the request and keeps its id.
        request = getattr(task, "request", None)
        rid = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
        tokens[task_id] = current_request_id.set(rid or current_request_id.get() or f"task-{task_id}")

    @task_postrun.connect(weak=False)
    def _leave(task_id=None, **_):
        token = tokens.pop(task_id, None)
        if token is not None:
            current_request_id.reset(token)
