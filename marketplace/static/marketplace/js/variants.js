/*
 * A parent product's page: the price shown follows the variant chosen.
 *
 * Each <option> of the variant choice carries its price (data-price) and tax
 * note (data-tax-note), rendered by the server; without JavaScript the option
 * labels say the prices and the price shown is the one selected first.
 * A static file, not an inline script: the Content-Security-Policy allows no
 * inline script.
 */
(function () {
    document.querySelectorAll("select[data-variant-select]").forEach(function (select) {
        var scope = select.closest(".product_main") || document;
        var price = scope.querySelector("[data-variant-price]");
        var taxNote = scope.querySelector("[data-variant-tax-note]");

        function show() {
            var option = select.options[select.selectedIndex];
            if (!option) { return; }
            if (price && option.dataset.price) { price.textContent = option.dataset.price; }
            if (taxNote) {
                taxNote.textContent = option.dataset.taxNote || "";
                taxNote.hidden = !option.dataset.taxNote;
            }
        }

        select.addEventListener("change", show);
        // The browser may restore another choice (back button): show its price.
        show();
    });
}());
