from tests.worker import celery_worker_process  # noqa: F401 - the real-worker fixture for @pytest.mark.worker
