"""RSS and Atom feeds of newly published documents: what an anonymous reader may see, only."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from minutes.models import Meeting


class LatestMinutesFeed(Feed):
    title = _("Minutes Archive: newly published minutes")
    link = reverse_lazy("minutes:home")
    description = _("Government meeting minutes as they are released to the public.")

    def items(self):
        # A feed is cached and shared, so it is always the anonymous reader's view.
        return (
            Meeting.objects.visible_to(AnonymousUser())
            .select_related("issuer")
            .order_by(F("published_at").desc(nulls_last=True), "-pk")[:30]
        )

    def item_title(self, meeting):
        return f"{meeting.title} {meeting.doc_number}".strip()

    def item_description(self, meeting):
        return meeting.opening

    def item_pubdate(self, meeting):
        return meeting.published_at

    def item_updateddate(self, meeting):
        return meeting.updated_at


class LatestMinutesAtomFeed(LatestMinutesFeed):
    feed_type = Atom1Feed
    subtitle = LatestMinutesFeed.description
