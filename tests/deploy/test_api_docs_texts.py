"""The API documentation speaks to the integrating office (issue 14 item 3): every operation has a Chinese
summary naming its verb and resource, a Chinese description of the rules of every call, a Chinese tag, and a
curl example (ReDoc's x-codeSamples) whose body carries the required fields."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from inspection.core.schema import ACTION_VERBS

# English prose has lowercase words; acronyms (CSRF, API) and code spans are fine.
LATIN_WORD = re.compile(r"[a-z]{3,}")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_is_described_in_chinese(schema):
    missing = []
    for path, method, operation in operations(schema):
        summary, description = operation.get("summary", ""), operation.get("description", "")
        # Code spans (`next`, `Authorization: Token`) are allowed in the description; prose is Chinese.
        prose = re.sub(r"`[^`]*`", "", description)
        if not summary or LATIN_WORD.search(summary) or LATIN_WORD.search(prose) or "需登录" not in description:
            missing.append((method.upper(), path, summary, prose[:60]))
        if any(LATIN_WORD.search(tag) for tag in operation.get("tags", [])):
            missing.append((method.upper(), path, "tag", operation["tags"]))
    assert missing == []


def test_summaries_name_the_verb_and_the_resource(schema):
    paths = schema["paths"]
    assert paths["/api/findings/"]["get"]["summary"] == "列出巡察发现问题"
    assert paths["/api/findings/"]["post"]["summary"] == "新建巡察发现问题"
    assert paths["/api/findings/{id}/"]["patch"]["summary"] == "部分修改巡察发现问题"
    assert paths["/api/findings/{id}/leader-approve/"]["post"]["summary"] == "巡察发现问题：组长审核通过"
    assert paths["/api/findings/"]["get"]["tags"] == ["巡察发现问题"]
    assert "列表按游标分页" in paths["/api/findings/"]["get"]["description"]
    assert "已被他人修改，请刷新后重试" in paths["/api/petitions/{id}/"]["patch"]["description"]


def test_every_action_has_its_chinese_verb():
    """A new @action without a verb here would fall back to its resource name alone."""
    from django.urls import get_resolver
    from rest_framework.viewsets import ViewSetMixin

    names = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            else:
                cls = getattr(pattern.callback, "cls", None)
                if cls and issubclass(cls, ViewSetMixin):
                    names.update(action.__name__ for action in cls.get_extra_actions())

    walk(get_resolver().url_patterns)
    assert names and names <= set(ACTION_VERBS), names - set(ACTION_VERBS)


def test_each_operation_has_a_curl_example_with_the_required_fields(schema):
    for _path, method, operation in operations(schema):
        (sample,) = operation["x-codeSamples"]
        assert sample["lang"] == "Shell" and sample["source"].startswith(f"curl -X {method.upper()} 'https://")
        assert "Authorization: Token <令牌>" in sample["source"]
    created = schema["paths"]["/api/findings/"]["post"]["x-codeSamples"][0]["source"]
    body = json.loads(re.search(r"-d '(.*)'$", created, re.S).group(1))
    assert set(body) == {"basis", "category", "facts", "title"}
    assert body["category"] == 1 and body["title"] == "示例文本"
