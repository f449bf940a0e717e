"""The home page's first content, in Vietnamese and English: written by migrations, editable in /cms-admin/."""

HOME_PAGE_SLUG = "trang-chu"
HOME_PAGE_CONTENT = {
    "title": "Chợ OCOP Quảng Nam",
    "hero_title": "Sản phẩm OCOP chính hiệu của Quảng Nam",
    "hero_text": (
        "Mua trực tiếp từ các hợp tác xã, doanh nghiệp và hộ sản xuất trong tỉnh. "
        "Mỗi sản phẩm đều hiển thị số sao OCOP và giấy chứng nhận còn hiệu lực."
    ),
    "hero_cta_text": "Xem tất cả sản phẩm",
    "introduction": (
        "<p>Chương trình Mỗi xã một sản phẩm (OCOP) đánh giá và phân hạng sản phẩm địa phương "
        "từ 3 đến 5 sao; mỗi giấy chứng nhận có hiệu lực 36 tháng kể từ ngày quyết định.</p>"
        "<p>Chợ OCOP Quảng Nam giới thiệu các sản phẩm đã được công nhận của các chủ thể trong tỉnh: "
        "doanh nghiệp, hợp tác xã, tổ hợp tác và hộ kinh doanh. Nội dung trang do Sở Công Thương "
        "tỉnh Quảng Nam biên tập. Chỉ những sản phẩm có giấy chứng nhận OCOP còn hiệu lực mới được bán.</p>"
    ),
    "featured_title": "Sản phẩm OCOP nổi bật",
    "featured_min_stars": 4,
    "featured_count": 8,
}

# Written by migration 0004 (not 0002, whose HomePage has no English fields yet).
HOME_PAGE_CONTENT_EN = {
    "hero_title_en": "Genuine OCOP products of Quảng Nam",
    "hero_text_en": (
        "Buy directly from cooperatives, companies and households across the province. "
        "Every product shows its OCOP stars and a certificate that is still valid."
    ),
    "hero_cta_text_en": "See all products",
    "introduction_en": (
        "<p>The One Commune One Product (OCOP) programme assesses and ranks local products "
        "from 3 to 5 stars; each certificate is valid for 36 months from its decision date.</p>"
        "<p>Chợ OCOP Quảng Nam presents the certified products of the province's producers: "
        "companies, cooperatives, cooperative groups and household businesses. The site is edited by "
        "the Quảng Nam Department of Industry and Trade. Only products with a valid OCOP certificate are sold.</p>"
    ),
    "featured_title_en": "Featured OCOP products",
}

# The three sections under the home page (created on migrate when missing; slugs are fixed, the nav links to them).
SECTIONS = {
    "CampaignIndexPage": {
        "slug": "khuyen-mai",
        "title": "Khuyến mãi",
        "introduction": "Các chương trình khuyến mãi sản phẩm OCOP do Sở Công Thương tổ chức.",
        "title_en": "Promotions",
        "introduction_en": "OCOP product promotions run by the Department of Industry and Trade.",
    },
    "EventIndexPage": {
        "slug": "su-kien",
        "title": "Sự kiện",
        "introduction": "Hội chợ, tuần lễ OCOP và các sự kiện xúc tiến thương mại.",
        "title_en": "Events",
        "introduction_en": "Trade fairs, OCOP weeks and other trade promotion events.",
    },
    "NewsIndexPage": {
        "slug": "tin-tuc",
        "title": "Tin tức",
        "introduction": "Tin tức về chương trình OCOP và các chủ thể sản xuất.",
        "title_en": "News",
        "introduction_en": "News about the OCOP programme and its producers.",
    },
}
