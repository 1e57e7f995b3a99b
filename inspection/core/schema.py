"""OpenAPI extensions for our own API classes (imported in CoreConfig.ready so drf-spectacular finds them)."""

from drf_spectacular.authentication import SessionScheme, TokenScheme


class ChineseCsrfSessionScheme(SessionScheme):
    """Our session authentication is DRF's with Chinese CSRF messages: documented as the same cookie scheme."""

    target_class = "inspection.core.authentication.SessionAuthentication"


class ApiTokenScheme(TokenScheme):
    """Our token authentication (accounts.tokens): the same `Authorization: Token <令牌>` header as DRF's."""

    target_class = "inspection.accounts.authentication.ApiTokenAuthentication"


# --- Operation texts for an integrating office (issue 14 item 3) -----------------------------------------------
# The view docstrings are notes for developers, in English; the API documentation speaks to the office that
# integrates, in Chinese. Every operation gets a summary (the verb and the resource) and a description of the
# rules that hold for every call, and a curl example (ReDoc shows `x-codeSamples`). A view may say more with a
# Chinese `api_doc` attribute (on the view, or on an @action function).

from drf_spectacular.openapi import AutoSchema  # noqa: E402

STANDARD_VERBS = {
    "list": "列出", "retrieve": "查看", "create": "新建", "update": "修改", "partial_update": "部分修改",
    "destroy": "删除",
}
# @action functions, by name. Every action of the project is here: the schema test fails on a new one.
ACTION_VERBS = {
    "accept": "通过", "add_problem": "反馈后补充问题", "amend": "更正", "apply_default": "采用默认清单",
    "approve": "审批通过", "attachments": "上传附件", "awaiting": "列出待补充的问题", "batch_approve": "领导小组会议批量审定",
    "batch_close": "批量核验销号", "batch_office_review": "巡察办批量审核", "candidates": "列出可反馈的单位",
    "change_phase": "变更阶段", "close": "销号", "counts": "统计数量", "coverage": "查看覆盖情况", "download": "下载",
    "duplicates": "查找疑似重复", "figures": "查看统计数字", "hearings": "登记听取说明", "kinds": "列出文书类型", "leader_approve": "组长审核通过",
    "members": "列出成员", "office_review": "巡察办审核", "opinions": "登记第三方意见", "override": "特批",
    "problems": "列出问题清单（含问题事实和定性依据）", "progress": "报告进展", "publish": "公开", "read": "标为已读",
    "read_all": "全部标为已读", "receive": "接收", "recusal_application": "申请回避", "remove": "移出",
    "reopen": "重新整改", "return_": "退回", "return_for_revision": "退回", "rollup": "查看汇总",
    "send": "发送", "sign": "签批", "start": "开始", "statistics": "查看统计", "submit": "提交", "tasks": "一次保存全部整改任务",
    "units": "列出单位", "unpublish": "撤下公开", "withdraw": "撤回",
}
COMMON_RULES = (
    "需登录：浏览器会话（写操作须带 CSRF 令牌）或请求头 `Authorization: Token <令牌>`。"
    "只返回当前用户有权知悉的记录；无权知悉的记录与不存在的记录一样返回 404。"
)
READ_RULES = "列表按游标分页（`next`/`previous` 链接），筛选与排序参数见下。"
WRITE_RULES = (
    "输入不合规返回 400，`字段名: [中文说明]`；记录所处状态或阶段不允许此操作返回 400（`detail` 说明原因），"
    "有权查看但无权操作返回 403。已被他人修改的记录返回 400“已被他人修改，请刷新后重试”。任何记录都不会被物理删除。"
)
EXAMPLE_HOST = "https://xuncha.example.gov.cn"


def _resource(view) -> str:
    queryset = getattr(view, "queryset", None)
    model = getattr(queryset, "model", None)
    if model is not None:
        return str(model._meta.verbose_name)
    return str(getattr(view, "api_resource", "") or "")


class ChineseAutoSchema(AutoSchema):
    def _is_list_view(self, serializer=None) -> bool:
        # A ViewSet whose `list` answers one object (a set of figures) says so with `api_single_object = True`.
        if getattr(self.view, "api_single_object", False):
            return False
        return super()._is_list_view(serializer)

    def _action_name(self):
        return getattr(self.view, "action", None) or ""

    def get_summary(self):
        action = self._action_name()
        resource = _resource(self.view)
        if action in STANDARD_VERBS:
            verb = STANDARD_VERBS[action]
            if action == "list" and not self._is_list_view():
                verb = "查看"
            return f"{verb}{resource}"
        if action in ACTION_VERBS:
            return f"{resource}：{ACTION_VERBS[action]}" if resource else ACTION_VERBS[action]
        return str(getattr(self.view, "api_summary", "") or resource or self.path)

    def get_description(self):
        parts = []
        handler = getattr(self.view, self._action_name() or "", None)
        for source in (handler, self.view):
            text = getattr(source, "api_doc", None)
            if text:
                parts.append(str(text))
                break
        parts.append(COMMON_RULES)
        parts.append(READ_RULES if self.method == "GET" and self._is_list_view() else
                     WRITE_RULES if self.method != "GET" else "")
        return "\n\n".join(part for part in parts if part)

    def get_tags(self):
        resource = _resource(self.view)
        return [resource] if resource else super().get_tags()


def _example_value(schema: dict, components: dict, depth=0):
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if "enum" in schema and schema["enum"]:
        return next((v for v in schema["enum"] if v not in ("", None)), schema["enum"][0])
    if "allOf" in schema:
        return _example_value(schema["allOf"][0], components, depth)
    if "oneOf" in schema:
        return _example_value(schema["oneOf"][0], components, depth)
    kind = schema.get("type")
    if kind == "object" and depth < 2:
        required = schema.get("required", [])
        properties = schema.get("properties", {})
        return {name: _example_value(properties[name], components, depth + 1)
                for name in required if name in properties and not properties[name].get("readOnly")}
    if kind == "array":
        return [_example_value(schema.get("items", {}), components, depth + 1)] if depth < 2 else []
    if kind == "integer":
        return 1
    if kind == "number":
        return "0.00"
    if kind == "boolean":
        return True
    if kind == "string":
        return {"date": "2026-12-01", "date-time": "2026-12-01T09:30:00+08:00", "binary": "@文件.pdf"}.get(
            schema.get("format"), "示例文本")
    return None


def add_code_samples(result, generator, request, public):
    """drf-spectacular postprocessing hook: a curl example per operation, the body made of the required fields
    with example values of the right type."""
    import json

    components = result.get("components", {}).get("schemas", {})
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            url = EXAMPLE_HOST + path.replace("{id}", "1")
            lines = [f"curl -X {method.upper()} '{url}'", "  -H 'Authorization: Token <令牌>'"]
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _example_value(content["application/json"]["schema"], components)
                lines.append("  -H 'Content-Type: application/json'")
                lines.append(f"  -d '{json.dumps(body, ensure_ascii=False)}'")
            elif "multipart/form-data" in content:
                body = _example_value(content["multipart/form-data"]["schema"], components) or {}
                for name, value in body.items():
                    value = value[0] if isinstance(value, list) and value else value
                    lines.append(f"  -F '{name}={value}'")
            operation["x-codeSamples"] = [{"lang": "Shell", "label": "curl", "source": " \\\n".join(lines)}]
            # An @extend_schema(description=...) replaces ChineseAutoSchema.get_description: add the common rules.
            description = operation.get("description", "")
            if COMMON_RULES not in description:
                rules = COMMON_RULES if method == "get" else f"{COMMON_RULES}\n\n{WRITE_RULES}"
                operation["description"] = f"{description}\n\n{rules}" if description else rules
    return result
