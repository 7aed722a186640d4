from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from minutes.models import Meeting


class MeetingSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Meeting.objects.visible_to(AnonymousUser()).select_related("issuer").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["minutes:home", "minutes:meeting-list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PagesSitemap, "minutes": MeetingSitemap}
