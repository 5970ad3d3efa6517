"""The pages no other browser test checks: the ecology index, a matter's people (以事看人) and a unit's item. With
them every page template of the portals is looked at by axe-core in Chromium (conftest's `Visitor.check`)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Visitor


def first_link(visitor: Visitor, prefix: str) -> str:
    link = visitor.page.locator(f'a[href^="{prefix}"]').first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href, prefix
    return href


def test_hq_sees_the_ecology_index(visitor: Visitor) -> None:
    visitor.sign_in("chen.hq")
    visitor.go("/ecology")
    expect(visitor.page.locator('a[href^="/ecology/"]').first).to_be_visible()
    visitor.check("hq-ecology-index")


def test_the_group_sees_the_people_a_matter_names(visitor: Visitor) -> None:
    visitor.sign_in("zhang.wei")
    visitor.go("/group/people")
    people = [h for h in visitor.page.locator('main a[href^="/group/people/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))") if h and "?" not in h]
    assert people
    for person in people:  # the first person of the directory whose file names a matter
        visitor.go(person)
        if visitor.page.locator('a[href^="/group/people/matters/"]').count():
            break
    visitor.go(first_link(visitor, "/group/people/matters/"))
    expect(visitor.page.locator('main a[href^="/group/people/"]').first).to_be_visible()
    visitor.check("group-people-matter")


def test_the_unit_opens_one_of_its_items(visitor: Visitor) -> None:
    visitor.sign_in("zhao.unit")
    visitor.go(first_link(visitor, "/unit/items/"))
    expect(visitor.page.locator("main form")).to_have_count(1)
    visitor.check("unit-item")
