/*
 * Oscar's page set-up (oscar.init(): the basket's quantity buttons, dropdowns, the
 * "please wait" buttons), run from our static files. It used to be an inline script
 * allowed by a nonce, which made every page unique and so uncacheable. Pages with
 * set-up of their own (Oscar's basket, checkout gateway) still add an inline script.
 */
(function () {
    "use strict";
    if (window.jQuery && window.oscar && typeof window.oscar.init === "function") {
        window.jQuery(function () { window.oscar.init(); });
    }
}());
