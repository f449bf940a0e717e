/* Oscar 4's order page calls oscar.dashboard.orders.initTable(), which its dashboard.js no longer
   defines: the call threw "initTable is not a function" and stopped the page's other scripts. */
(function () {
    var orders = window.oscar && window.oscar.dashboard && window.oscar.dashboard.orders;
    if (orders && typeof orders.initTable !== "function") {
        orders.initTable = function () {};
    }
})();
