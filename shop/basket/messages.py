"""Oscar strings that the basket and product pages show, translated again by the shop.

Oscar's Vietnamese catalogue words these awkwardly ("Trong kho ( %d có sẵn)",
"Những vật phẩm để mua bây giờ"). Naming them here lets ``makemessages`` keep
them in locale/vi, whose translations take precedence over Oscar's own.
"""

from django.utils.translation import gettext_noop

OSCAR_MESSAGES = (
    gettext_noop("In stock"),
    gettext_noop("In stock (%d available)"),
    gettext_noop("Items to buy now"),
    gettext_noop("Price (excl. tax)"),
    gettext_noop("Price (incl. tax)"),
    gettext_noop("View basket"),
)
