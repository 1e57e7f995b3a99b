from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inspection.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from celery.signals import task_postrun, task_prerun

        from . import db_router, schema  # noqa: F401  schema registers the OpenAPI extensions

        # Each Celery task is a routing scope of its own (what an earlier task wrote does not pin it).
        task_prerun.connect(db_router.task_started, weak=False, dispatch_uid="xuncha-db-scope-start")
        task_postrun.connect(db_router.task_finished, weak=False, dispatch_uid="xuncha-db-scope-end")
