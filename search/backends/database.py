"""Search with the database alone: folded words in ``ProductSearchText``.

Every query term must begin a word of a product's folded text ("nuoc mam" finds
"Nước mắm Cửa Đại", "mam" finds it too, "am" does not). Ranking: the whole
phrase as words of the title, then the phrase beginning a title word, then every
term in the title, then matches elsewhere (producer, district, description).
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from search.text import terms


class DatabaseBackend:
    def __init__(self, url: str = "", index: str = ""):
        self.url = url

    def match(self, products: QuerySet, query: str) -> QuerySet:
        """``products`` narrowed to those matching ``query``, annotated with ``search_rank``."""
        words = terms(query)
        if not words:
            return products.annotate(search_rank=Value(0, output_field=IntegerField()))
        every_word_in_text = Q()
        every_word_in_title = Q()
        for word in words:
            every_word_in_text &= Q(search_text__text__contains=f" {word}")
            every_word_in_title &= Q(search_text__title__contains=f" {word}")
        phrase = " ".join(words)
        return products.filter(every_word_in_text).annotate(
            search_rank=Case(
                When(search_text__title__contains=f" {phrase} ", then=Value(4)),
                When(search_text__title__contains=f" {phrase}", then=Value(3)),
                When(every_word_in_title, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )

    # The rows themselves are written by ``search.indexing``; nothing else to keep.
    def index(self, product_ids) -> None:
        pass

    def remove(self, product_ids) -> None:
        pass

    def sync(self, product_ids) -> None:
        pass

    def reset(self) -> None:
        pass
