/*
 * A partner shop's page: "Copy link" copies the shop's address. The button is
 * shown only where the browser can copy. A static file: the
 * Content-Security-Policy allows no inline script.
 */
(function () {
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
        if (!navigator.clipboard) { return; }
        var status = button.parentNode.querySelector("[data-copy-status]");
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(button.dataset.copyLink).then(function () {
                if (status) { status.textContent = button.dataset.copied; }
            });
        });
    });
}());
