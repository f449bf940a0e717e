"""Product group names in the page's language.

The reference data (catalogue migration 0034) keeps a group's English name in its
description; the sub-groups have none, so their English names live here, by code.
"""

from django.utils.html import strip_tags
from django.utils.translation import get_language

SUBGROUP_NAMES_EN = {
    "food-nong-san-tuoi-song": "Fresh produce",
    "food-nong-san-so-che": "Pre-processed produce",
    "food-thuc-pham-che-bien": "Processed food",
    "food-gia-vi": "Spices",
    "food-che": "Tea",
    "food-ca-phe-ca-cao": "Coffee and cocoa",
    "beverage-do-uong-co-con": "Alcoholic drinks",
    "beverage-do-uong-khong-con": "Non-alcoholic drinks",
    "herbal-thuc-pham-chuc-nang-thuoc-duoc-lieu-thuoc-y-hoc-co-truyen": "Functional foods and herbal medicines",
    "herbal-my-pham-tu-duoc-lieu": "Herbal cosmetics",
    "herbal-tinh-dau-va-duoc-lieu-khac": "Essential oils and other herbs",
    "handicraft-go": "Wood",
    "handicraft-may-tre-dan-soi-tu-nhien": "Rattan, bamboo and natural fibres",
    "handicraft-kim-loai": "Metal",
    "handicraft-gom-su": "Ceramics",
    "handicraft-det-may-theu": "Textiles and embroidery",
    "ornamental-hoa": "Flowers",
    "ornamental-cay-canh": "Ornamental plants",
    "ornamental-dong-vat-canh": "Ornamental animals",
    "tourism-dich-vu-du-lich-cong-dong": "Community tourism services",
    "tourism-diem-du-lich": "Tourist sites",
}


def category_name(category) -> str:
    """The category's name; on English pages its English name when one is known."""
    if (get_language() or "").split("-")[0] != "en":
        return category.name
    if english := SUBGROUP_NAMES_EN.get(category.code or ""):
        return english
    if category.depth == 1 and category.description:
        return strip_tags(category.description).strip() or category.name
    return category.name
