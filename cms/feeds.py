"""The news RSS feed (served by the news index at ``?format=rss``)."""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.translation import get_language


class NewsFeed(Feed):
    def __init__(self, index):
        super().__init__()
        self.index = index
        self.language = get_language()

    def title(self):
        return self.index.text_in(self.language)["title"]

    def link(self):
        return self.index.url

    def description(self):
        return self.index.text_in(self.language)["introduction"]

    def items(self):
        return self.index.news()[:20]

    def item_title(self, item):
        return item.text_in(self.language)["title"]

    def item_description(self, item):
        return item.text_in(self.language)["summary"]

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(timezone.datetime.combine(item.date, timezone.datetime.min.time()))
