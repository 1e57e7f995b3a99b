"""The API shape of a batch action (`inspection.core.batch`): the chosen ids in, one answer per item out."""

from rest_framework import serializers

from .batch import MAX_ITEMS, BatchResult


class BatchIdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, help_text=f"所选记录的编号，一次最多 {MAX_ITEMS} 个"
    )


class BatchSucceededSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(help_text="记录名称")
    status = serializers.CharField(help_text="操作后的状态（中文）")


class BatchFailedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(help_text="记录名称（无权查看的记录为空）")
    message = serializers.CharField(help_text="未能办理的原因")


class BatchResultSerializer(serializers.Serializer):
    succeeded = BatchSucceededSerializer(many=True, help_text="已办理的记录")
    failed = BatchFailedSerializer(many=True, help_text="未能办理的记录及原因；其余记录不受影响")


def batch_data(result: BatchResult) -> dict:
    return {
        "succeeded": [{"id": i.id, "label": i.label, "status": i.status} for i in result.succeeded],
        "failed": [{"id": i.id, "label": i.label, "message": i.message} for i in result.failed],
    }
