"""The relevance table: what a shopper types, and the product that must come first, on both backends.

Real product, producer and place names from the OCOP reference list. The Elasticsearch rows run
against osmem-server (or ELASTICSEARCH_URL). Rows marked ``ES`` need what only Elasticsearch does
(typos, tone marks ranking); the database backend offers "Did you mean" for typos instead.
"""

import pytest

from catalog.tests.factories import DistrictFactory, ProducerFactory
from search.selectors import ProductFilters, find_products, group_categories
from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db

BOTH, ES = ("database", "elasticsearch"), ("elasticsearch",)

TINH_DAU = "Tinh dầu quế Trà My Minh Phúc"

# (query, titles that must come first: a list in this order, a set in any order; backends)
RELEVANCE_TABLE = [
    # without and with tone marks, upper case
    ("nuoc mam duy trinh", ["Nước mắm Duy Trinh"], BOTH),
    ("Nước mắm Duy Trinh", ["Nước mắm Duy Trinh"], BOTH),
    ("NUOC MAM CUA KHE", ["Nước mắm Cửa Khe"], BOTH),
    # đ folds to d
    ("dai loc", ["Bánh tráng Đại Lộc"], BOTH),
    ("đại lộc", ["Bánh tráng Đại Lộc"], BOTH),
    ("dang sam", ["Trà đảng sâm"], BOTH),
    # a word still being typed
    ("sam ngoc lin", ["Trà túi lọc sâm Ngọc Linh"], BOTH),
    ("tinh dau q", ["Tinh dầu quế Trà My Minh Phúc"], BOTH),
    # a tone mark typed on one word only
    ("mat ông", ["Mật ong Phước Lộc"], BOTH),
    # producer and place names
    ("hai hien", ["Nước mắm Cửa Khe"], BOTH),
    ("hai thuy", ["Trà túi lọc sâm Ngọc Linh"], BOTH),
    ("phuoc son", {"Mật ong Phước Lộc", "Sâm dây"}, BOTH),
    # the title first; then, on Elasticsearch, the producer above the description
    ("mat ong", ["Mật ong Phước Lộc"], BOTH),
    ("mat ong", ["Mật ong Phước Lộc", "Rượu nếp than", "Bánh dừa nướng Quý Thu"], ES),
    # a whole title word above a word that only begins with the query ("Bánh tráng nướng" has 5 stars)
    (
        "tra",
        {"Trà đảng sâm", "Trà túi lọc sâm Ngọc Linh", TINH_DAU, "Rượu lúa rẫy Bắc Trà My", "Cá tra một nắng"},
        BOTH,
    ),
    # typos in words of 4+ letters
    ("nuoc mamm duy trinh", ["Nước mắm Duy Trinh"], ES),
    ("banh trang daii loc", ["Bánh tráng Đại Lộc"], ES),
    ("banh trang dai lcc", [], ES),  # "lcc": 3 letters, no typo forgiven
    ("ruou lua ray bac tra mi", [], ES),  # "mi" is too short to forgive: no guess
    # the exact tone marks above their folded look-alikes
    ("cá tra", ["Cá tra một nắng"], ES),
    ("trà", {"Trà đảng sâm", "Trà túi lọc sâm Ngọc Linh", TINH_DAU, "Rượu lúa rẫy Bắc Trà My"}, ES),
]


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, settings):
    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch")
    else:
        settings.SEARCH_BACKEND = "database"
    return request.param


@pytest.fixture
def reference_catalogue(backend, settings):
    tay_giang = DistrictFactory(name="Tây Giang", slug="tay-giang-rel")
    phuoc_son = DistrictFactory(name="Phước Sơn", slug="phuoc-son-rel")
    nam_tra_my = DistrictFactory(name="Nam Trà My", slug="nam-tra-my-rel")
    products = [
        ("Nước mắm Duy Trinh", "Cơ sở nước mắm Duy Trinh", None, 4, ""),
        ("Nước mắm Cửa Khe", "Cơ sở Hai Hiền", None, 3, ""),
        ("Bánh tráng Đại Lộc", "Cơ sở bánh tráng Đại Lộc", None, 4, ""),
        ("Trà đảng sâm", "HTX Nông nghiệp dược liệu Tây Giang", tay_giang, 4, ""),
        ("Trà túi lọc sâm Ngọc Linh", "Hộ kinh doanh Hải Thủy", nam_tra_my, 3, ""),
        ("Tinh dầu quế Trà My Minh Phúc", "HTX Quế Trà My - Minh Phúc", None, 4, ""),
        ("Mật ong Phước Lộc", "Cơ sở mật ong Phước Lộc", phuoc_son, 3, ""),
        ("Sâm dây", "Hộ kinh doanh Võ Thị Thủy", phuoc_son, 3, ""),
        ("Rượu nếp than", "HTX Mật ong rừng", None, 5, ""),
        ("Bánh dừa nướng Quý Thu", "Công ty TNHH SX-TM Quý Thu", None, 5, "<p>Bánh dừa thơm, ngọt vị mật ong.</p>"),
        ("Rượu lúa rẫy Bắc Trà My", "Cơ sở rượu lúa rẫy Bắc Trà My", None, 3, ""),
        ("Cá tra một nắng", "Cơ sở Tra Hải", None, 3, ""),
        ("Bánh tráng nướng", "Cơ sở Trà Nhiêu", None, 5, ""),
    ]
    for title, producer, district, stars, description in products:
        producer = ProducerFactory(partner__name=producer, **({"district": district} if district else {}))
        listed_product(title=title, producer=producer, stars=stars, description=description)
    if backend == "elasticsearch":
        from search import outbox
        from search.backends import get_backend

        outbox.drain(get_backend())
    return backend


@pytest.mark.parametrize(
    ("query", "expected", "backends"), RELEVANCE_TABLE, ids=[f"{row[0]}-{len(row[2])}" for row in RELEVANCE_TABLE]
)
def test_relevance_table(reference_catalogue, query, expected, backends):
    if reference_catalogue not in backends:
        pytest.skip(f"{reference_catalogue} backend: see the module docstring")
    found = [product.title for product in find_products(ProductFilters(query=query), groups=group_categories())]

    if isinstance(expected, set):
        assert set(found[: len(expected)]) == expected, found
    elif expected:
        assert found[: len(expected)] == expected, found
    else:
        assert found == []
