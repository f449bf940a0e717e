import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        from django.db.models.signals import post_migrate

        from search import receivers  # noqa: F401  (connects the index to catalogue saves)

        post_migrate.connect(receivers.index_products_without_row, sender=self, dispatch_uid="search_post_migrate")
        super().ready()

    def get_urls(self):
        from django.urls import path

        from search.views import suggest

        urls = super().get_urls()
        return [path("suggest/", suggest, name="suggest"), *urls]
