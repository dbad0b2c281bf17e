/*
 * Page behaviours declared with data- attributes, for the storefront, the payment pages
 * and the admin. They live here, not in inline <script>s or onclick= attributes, because
 * the Content-Security-Policy runs scripts from our static files only.
 *
 *   <select data-autosubmit>             submits its form when changed
 *   <a href="#" data-print>              prints the page
 *   <a href="#" data-history-back>       goes back one page
 *   <form data-submit-once>              disables its submit buttons once submitted
 *   <div data-poll-url="…" data-status="pending">
 *                                        polls the URL every 2 s, reloads when is_final
 *   <button id="x" data-keep-focus>      focused when the page's address ends in #x: after
 *                                        "Add to basket" the shopper is back where they were
 */
(function () {
    "use strict";

    document.addEventListener("change", function (event) {
        var field = event.target.closest("[data-autosubmit]");
        if (field && field.form) { field.form.submit(); }
    });

    document.addEventListener("click", function (event) {
        if (event.target.closest("[data-print]")) {
            event.preventDefault();
            window.print();
        } else if (event.target.closest("[data-history-back]")) {
            event.preventDefault();
            window.history.back();
        }
    });

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.matches("[data-submit-once]")) { return; }
        // A double click sends one request; the server makes any repeat harmless anyway.
        // Disabled after this event, so the clicked button's name and value are still sent.
        window.setTimeout(function () {
            form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
                button.disabled = true;
            });
        }, 0);
    });

    function pollPaymentStatus(box) {
        function poll() {
            fetch(box.dataset.pollUrl, {headers: {"Accept": "application/json"}, cache: "no-store"})
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (data) {
                    if (data && data.is_final) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
                })
                .catch(function () { window.setTimeout(poll, 2000); });
        }
        window.setTimeout(poll, 2000);
    }

    function ready() {
        // Oscar's wishlist form (not overridden here) has a cancel link with
        // onclick="history.go(-1)"; the policy would refuse it when clicked, so make it ours.
        document.querySelectorAll("a[onclick*='history.go(-1)']").forEach(function (link) {
            link.removeAttribute("onclick");
            link.setAttribute("data-history-back", "");
        });
        document.querySelectorAll("[data-poll-url][data-status=pending]").forEach(pollPaymentStatus);
        var target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
        if (target && target.hasAttribute("data-keep-focus")) { target.focus(); }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", ready);
    } else {
        ready();
    }
})();
