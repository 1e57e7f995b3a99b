"""Celery queues by kind (issue 14 item 5): every task of ours has its queue, and a worker started without -Q
(the demo's `./dev worker`, the tests' workers) consumes them all."""

import pytest
from django.conf import settings

from inspection.celery import app
from tests.worker import celery_worker_process  # noqa: F401

EXPECTED = {
    "exports.render": "documents",
    "referrals.render_letter": "documents",
    "rectification.send_reminders": "reminders",
    "referrals.remind_unsigned": "reminders",
    "referrals.remind_overdue": "reminders",
    "dashboard.refresh_rollup": "rollup",
    # Short housekeeping on the default queue: the heartbeat (health check), dormant accounts, the audit archive,
    # the purge of expired generated files.
    "core.heartbeat": "default",
    "accounts.disable_dormant_accounts": "default",
    "audit.archive": "default",
    "exports.purge_expired": "default",
}


def our_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_each_task_is_routed_to_the_queue_of_its_kind():
    # A new task lands here first: put it in a queue deliberately (CELERY_TASK_ROUTES), or "default".
    assert our_tasks() == set(EXPECTED)
    for name, queue in EXPECTED.items():
        assert app.amqp.router.route({}, name)["queue"].name == queue, name
    assert app.amqp.router.route({}, "anything.else")["queue"].name == "default"
    assert {q.name for q in app.amqp.queues.values()} == set(settings.XUNCHA_TASK_QUEUES)


@pytest.mark.worker
@pytest.mark.postgres
def test_a_worker_without_queue_options_consumes_every_queue(celery_worker_process):  # noqa: F811
    replies = app.control.inspect(timeout=5).active_queues() or {}
    assert len(replies) >= 1
    ours = [queues for host, queues in replies.items() if host.startswith("test-")]
    assert {q["name"] for q in ours[0]} == {"default", "documents", "reminders", "rollup"}
