from oscar.apps.basket.forms import *  # noqa: F401,F403  (the forms we do not change stay Oscar's)
from oscar.apps.basket.forms import AddToBasketForm as OscarAddToBasketForm


class AddToBasketForm(OscarAddToBasketForm):
    def cleaned_options(self):
        """Oscar's, without asking the database for the options of a product that has none."""
        if not self.parent_product.has_options:
            return []
        return super().cleaned_options()
