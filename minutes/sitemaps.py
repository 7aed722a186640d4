"""sitemap.xml: the home and index pages, every public document, body and person.

Every section is the anonymous reader's view (the one door), whoever asks.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from minutes import directory
from minutes.models import Meeting, Organization


class MeetingSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Meeting.objects.visible_to(AnonymousUser()).select_related("issuer").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class OrganizationSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Organization.objects.visible_to(AnonymousUser()).order_by("pk")

    def location(self, organization):
        return reverse("minutes:organization-detail", args=[organization.pk])


class PersonSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return sorted(directory.people_counts(AnonymousUser()))

    def location(self, name):
        return reverse("minutes:person-detail", args=[name])


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "minutes:home",
            "minutes:meeting-list",
            "minutes:organization-list",
            "minutes:person-list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap,
    "minutes": MeetingSitemap,
    "organizations": OrganizationSitemap,
    "people": PersonSitemap,
}
