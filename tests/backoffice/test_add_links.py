"""
Every "Add" link a role sees leads to a form it can fill in (issue 15 item 7).

The index and the side bar of every admin page list each model with an "Add" link.
A role that may add store pages, but whose stores all have one, has nothing to add:
the link is hidden, without a query of its own (the home's pinned query counts in
``test_dashboard`` hold it).
"""

import re

import pytest

from marketplace.stores.models import StoreProfile

ADD_LINK = re.compile(r'href="(/admin/[a-z_]+/[a-z_]+/add/)"')
SELECT = re.compile(r"<select (?P<attrs>[^>]*)>(?P<body>.*?)</select>", re.S)


def add_links(html):
    return set(ADD_LINK.findall(html))


def unusable_fields(html):
    """Required drop-downs with nothing to choose (autocompletes fill themselves in)."""
    empty = []
    for select in SELECT.finditer(html):
        attrs, body = select.group("attrs"), select.group("body")
        if " required" not in attrs or "admin-autocomplete" in attrs:
            continue
        if not re.search(r'<option value="[^"]', body):
            empty.append(re.search(r'name="([^"]+)"', attrs).group(1))
    return empty


@pytest.mark.parametrize("role", ["brand", "channel", "seller", "retailer"])
def test_every_add_link_on_the_index_opens_a_form_the_role_can_fill_in(retail_world, client, role):
    client.force_login(retail_world.users[role])

    links = add_links(client.get("/admin/").content.decode())

    assert links
    for link in sorted(links):
        response = client.get(link)
        assert response.status_code == 200, link
        assert unusable_fields(response.content.decode()) == [], link


@pytest.mark.parametrize("role", ["brand", "seller"])
def test_add_store_page_shows_only_while_a_store_has_none(world, as_role, role):
    client = as_role(role)
    add = "/admin/stores/storeprofile/add/"

    assert add not in add_links(client.get("/admin/").content.decode())
    assert add not in add_links(client.get("/admin/order/order/").content.decode())  # side bar

    own = world.mi_profile if role == "brand" else world.lagos_profile
    StoreProfile.objects.filter(pk=own.pk).delete()

    assert add in add_links(client.get("/admin/").content.decode())
    assert add in add_links(client.get("/admin/order/order/").content.decode())
