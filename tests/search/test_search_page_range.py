"""A search page out of range shows the nearest page, as browse does (issue 10, item 2)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_out_of_range_is_the_nearest_page(client, meeting):
    for seq in range(1, 26):  # two pages of 20
        meeting(year=2021, seq=seq)
    for asked, shown in [("abc", 1), ("0", 1), ("-2", 1), ("2", 2), ("99", 2), ("100000", 2)]:
        response = client.get(reverse("minutes:search"), {"q": "集成电路", "page": asked})
        assert response.status_code == 200
        results = response.context["results"]
        assert (results.page, len(results.results)) == (shown, 20 if shown == 1 else 5), asked
