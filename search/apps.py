import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        from search import receivers  # noqa: F401  (connects the index to catalogue saves)

        super().ready()
