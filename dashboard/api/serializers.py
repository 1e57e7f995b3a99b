"""The shapes of the dashboard's answers (issue 17 item 6): one serializer per response, so the OpenAPI document
names every figure with its type and its Chinese meaning. The views build their answers with these serializers;
`tests/foundation/test_figure_schemas.py` compares each real answer with its schema, key by key."""

from rest_framework import serializers

from ..models import COUNTERS, MONEY
from ..todo import COUNT_CAP, PAGE_LIMIT


class TodoItemSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="事项")
    url = serializers.CharField(help_text="记录的页面地址")
    since = serializers.CharField(source="since_text", help_text="开始等待的时间或期限（含义见所在类别的 `since_label`）")
    note = serializers.CharField(help_text="补充说明（如逾期天数）")


class TodoGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(source="key", help_text="事项类别代码")
    label = serializers.CharField(help_text="事项类别")
    count = serializers.IntegerField(help_text=f"数量（至多计到 {COUNT_CAP}）")
    count_text = serializers.CharField(help_text=f"显示用的数量（{COUNT_CAP} 及以上为 `{COUNT_CAP - 1}+`）")
    url = serializers.CharField(help_text="该类全部事项所在的页面")
    since_label = serializers.CharField(help_text="`since` 的含义，如“提交时间”“整改时限”")
    items = TodoItemSerializer(many=True, help_text=f"最早的若干条（`limit`，至多 {PAGE_LIMIT}）")


class TodoSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="各类数量之和")
    groups = TodoGroupSerializer(many=True, help_text="按事项类别，只列出有事项的类别")


class OfficeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="管辖范围名称")
    level = serializers.CharField(help_text="层级：province 省、city 市、county 县")


LEAD_ONLY = "仅对有权查看线索统计的角色返回。"


def _rollup_figures_fields() -> dict:
    from ..rollup import LEAD_COUNTERS

    fields = {}
    for name, label in COUNTERS:
        note = LEAD_ONLY if name in LEAD_COUNTERS else ""
        fields[name] = serializers.IntegerField(required=name not in LEAD_COUNTERS, help_text=f"{label}{note}")
    for name, label in MONEY:
        note = LEAD_ONLY if name in LEAD_COUNTERS else ""
        fields[name] = serializers.DecimalField(max_digits=18, decimal_places=2, required=name not in LEAD_COUNTERS,
                                                help_text=f"{label}（元）{note}")
    fields.update({
        "coverage_rate": serializers.FloatField(help_text="覆盖率（%）：已覆盖单位 ÷ 规划单位"),
        "completion_rate": serializers.FloatField(help_text="问题整改完成率（%）：整改完成问题 ÷ 反馈问题"),
        "task_rate": serializers.FloatField(help_text="任务销号率（%）：已销号任务 ÷ 整改任务"),
        "accountable": serializers.IntegerField(help_text="问责人数（整改中问责，有权查看线索统计的角色另加线索查处问责）"),
        "money_recovered": serializers.DecimalField(max_digits=18, decimal_places=2,
                                                    help_text="回收资金、挽回经济损失（元）"),
    })
    return fields


RollupFiguresSerializer = type("RollupFiguresSerializer", (serializers.Serializer,), _rollup_figures_fields())


class RollupRowSerializer(serializers.Serializer):
    jurisdiction = OfficeSerializer(help_text="直属下级巡察机构（`own` 为真时是本机构自己的轮次）")
    own = serializers.BooleanField(help_text="本机构自己组织的轮次（而非下级的）")
    figures = RollupFiguresSerializer()
    rollup_url = serializers.CharField(allow_null=True, help_text="该下级再向下汇总的接口地址；无下级为 null")


class RollupSerializer(serializers.Serializer):
    jurisdiction = OfficeSerializer(allow_null=True, help_text="汇总的巡察机构")
    year = serializers.IntegerField(allow_null=True, help_text="年度（按进驻开始日期），null 为全部年度")
    years = serializers.ListField(child=serializers.IntegerField(), help_text="有数据的年度")
    computed_at = serializers.DateTimeField(allow_null=True, help_text="最早一个计数的计算时间（每小时更新）")
    includes_lead_figures = serializers.BooleanField(help_text="是否含线索类数字")
    total = RollupFiguresSerializer(help_text="合计")
    rows = RollupRowSerializer(many=True, help_text="每个直属下级一行")
