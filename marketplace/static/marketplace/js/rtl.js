/*
 * Right-to-left pages: Bootstrap 4's dropdowns are placed by Popper, which
 * knows no direction. A menu aligned to its toggle's right edge in English
 * ("dropdown-menu-right") aligns to the left edge in Arabic, and the other
 * way round, so that menus open towards the middle of the page.
 */
(function () {
    if (document.documentElement.dir !== "rtl") { return; }
    document.querySelectorAll(".dropdown-menu").forEach(function (menu) {
        menu.classList.toggle("dropdown-menu-right");
    });
}());
