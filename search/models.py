"""The database search backend's index: one row of folded text per product.

The catalogue does not know about it: ``search.receivers`` keeps it in step
with product saves (see ``search.indexing``).
"""

from django.db import models


class ProductSearchText(models.Model):
    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="search_text", primary_key=True
    )
    text = models.TextField(help_text="Folded (lower case, no tone marks) searchable text.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.text[:80]
