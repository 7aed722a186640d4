"""Reading the search page as a person sees it: the parsed page and its parts by class."""

import lxml.html
from django.urls import reverse


def page_of(client, **params):
    """The search page for these parameters (200), parsed."""
    response = client.get(reverse("minutes:search"), params)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def with_class(node, name: str) -> list:
    return node.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')


def text(node) -> str:
    return node.text_content().strip()
