from django.conf import settings
from django.db import models


class ReadLog(models.Model):
    """Who read which secret record, and when (保密查阅日志). Append-only: no interface edits it."""

    class Action(models.TextChoices):
        VIEW = "view", "查看"
        LIST = "list", "列表查阅"
        EXPORT = "export", "导出"
        DOWNLOAD = "download", "下载附件"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查阅人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("方式", max_length=10, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=60, db_index=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)

    class Meta:
        verbose_name = "保密查阅日志"
        verbose_name_plural = "保密查阅日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="readlog_object")]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.object_repr}"
