"""`url_for_rows` and `with_pk` give each row the very address `{% url %}` gives it."""

import pytest
from django.template import Context, Template


def test_row_urls_equal_the_url_tag():
    rendered = Template(
        "{% load portal %}{% url_for_rows 'masterplan:programme_edit' 7 as edit_url %}"
        "{% for pk in pks %}{{ edit_url|with_pk:pk }}={% url 'masterplan:programme_edit' 7 pk %};{% endfor %}"
    ).render(Context({"pks": [1, 42, 987654321]}))
    pairs = [item.split("=") for item in rendered.split(";") if item]
    assert len(pairs) == 3
    assert all(mine == django and "/7/" in mine for mine, django in pairs)


def test_with_pk_refuses_anything_but_a_number():
    with pytest.raises(ValueError):
        Template("{% load portal %}{{ 'x'|with_pk:pk }}").render(Context({"pk": "1/../2"}))
