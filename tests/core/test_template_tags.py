"""The portal's template tags that are not about number formats (those are in tests/portal/test_i18n.py)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def test_capture_renders_its_part_once_and_shows_it_where_asked():
    calls = []

    class Counter:
        def __str__(self):
            calls.append(1)
            return "<b>menu</b>"

    html = Template("{% load portal %}{% capture as menu %}[{{ part }}]{% endcapture %}A{{ menu }}B{{ menu }}").render(
        Context({"part": Counter()})
    )
    assert html == "A[&lt;b&gt;menu&lt;/b&gt;]B[&lt;b&gt;menu&lt;/b&gt;]"  # escaped once, inside the part, not again
    assert len(calls) == 1


def test_capture_needs_a_name():
    with pytest.raises(TemplateSyntaxError, match="capture as name"):
        Template("{% load portal %}{% capture menu %}x{% endcapture %}")


@pytest.mark.django_db
def test_the_navigation_is_the_same_for_wide_screens_and_the_phone_menu(client, staff_dinkes, pillars):
    client.force_login(staff_dinkes)
    html = client.get("/").content.decode()
    desktop = html.split('desktop-nav">', 1)[1].split("</ul>", 1)[0]
    phone = html.split('phone-menu-panel">', 1)[1].split('<ul class="navbar-nav">', 1)[1].split("</ul>", 1)[0]
    assert desktop == phone and 'href="/usulan/"' in desktop
    assert html.count('name="language" value="en"') == 2
