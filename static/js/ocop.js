/* Chợ OCOP Quảng Nam: the few behaviours the storefront needs, without a framework.
   - [data-drawer-open="ID"] opens the drawer #ID (filters on a phone); Escape, the close button or the
     backdrop closes it and focus goes back to the button that opened it.
   - [data-qty-step] buttons step the quantity input next to them within its min/max. */
(function () {
    "use strict";
    var opener = null;

    function closeDrawer(drawer) {
        drawer.classList.remove("is-open");
        document.body.classList.remove("ocop-drawer-open");
        if (opener) { opener.setAttribute("aria-expanded", "false"); opener.focus(); opener = null; }
    }

    function openDrawer(drawer, button) {
        opener = button;
        drawer.classList.add("is-open");
        document.body.classList.add("ocop-drawer-open");
        button.setAttribute("aria-expanded", "true");
        var first = drawer.querySelector("button, a, input, select");
        if (first) { first.focus(); }
    }

    document.addEventListener("click", function (event) {
        var button = event.target.closest("[data-drawer-open]");
        if (button) {
            var drawer = document.getElementById(button.getAttribute("data-drawer-open"));
            if (drawer) { event.preventDefault(); openDrawer(drawer, button); }
            return;
        }
        var close = event.target.closest("[data-drawer-close]");
        if (close) {
            event.preventDefault();
            closeDrawer(close.closest(".ocop-drawer"));
            return;
        }
        var step = event.target.closest("[data-qty-step]");
        if (step) {
            var input = step.parentNode.querySelector("input[type=number]");
            if (!input) { return; }
            var value = (parseInt(input.value, 10) || 0) + parseInt(step.getAttribute("data-qty-step"), 10);
            var min = input.min === "" ? 1 : parseInt(input.min, 10);
            var max = input.max === "" ? Infinity : parseInt(input.max, 10);
            input.value = Math.max(min, Math.min(max, value));
            input.dispatchEvent(new Event("change", { bubbles: true }));
        }
    });

    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") { return; }
        var drawer = document.querySelector(".ocop-drawer.is-open");
        if (drawer) { closeDrawer(drawer); }
    });
})();

/* The address form: choosing a province reloads the list of its wards and communes. */
(function () {
    "use strict";
    document.addEventListener("change", function (event) {
        var province = event.target.closest("select[data-wards-for]");
        if (!province) { return; }
        var ward = document.getElementsByName(province.getAttribute("data-wards-for"))[0];
        if (!ward) { return; }
        fetch("/dia-chi/" + encodeURIComponent(province.value) + "/phuong-xa/")
            .then(function (response) { return response.ok ? response.json() : { wards: [] }; })
            .then(function (data) {
                var first = ward.options[0];
                ward.innerHTML = "";
                if (first && first.value === "") { ward.appendChild(first); }
                data.wards.forEach(function (unit) { ward.appendChild(new Option(unit[1], unit[0])); });
                ward.value = "";
            });
    });
})();
