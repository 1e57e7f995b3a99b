from celery import shared_task

from . import services


@shared_task(name="exports.render")
def render_generated_file(generated_id: int) -> int:
    return services.generated_file_render(generated_id=generated_id).pk


@shared_task(name="exports.purge_expired")
def purge_expired_generated_files() -> int:
    return services.generated_files_purge()
