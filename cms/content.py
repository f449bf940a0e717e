"""The home page's first content, in Vietnamese: written by the migration, editable in /cms-admin/."""

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
