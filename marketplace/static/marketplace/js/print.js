/* Buttons marked data-print-page print the page (no inline onclick: the CSP forbids it). */
(function () {
    document.querySelectorAll("[data-print-page]").forEach(function (button) {
        button.addEventListener("click", function () { window.print(); });
    });
}());
