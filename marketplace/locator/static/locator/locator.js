/*
 * "Use my location" on a locator form: the browser is asked for the position
 * only when the visitor presses the button, never on page load. The position is
 * rounded to 3 decimals (about 100 m) before it leaves the page. Without
 * JavaScript, or without geolocation, the button stays hidden and the city
 * choice works alone. A static file: the Content-Security-Policy allows no
 * inline script.
 */
(function () {
    document.querySelectorAll("form[data-locator-form]").forEach(function (form) {
        var button = form.querySelector("[data-locator-geolocate]");
        var status = form.querySelector("[data-locator-status]");
        var city = form.querySelector("[data-locator-city]");
        var lat = form.querySelector("[data-locator-lat]");
        var lng = form.querySelector("[data-locator-lng]");
        if (!button || !lat || !lng) { return; }
        if (!("geolocation" in navigator)) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            button.disabled = true;
            navigator.geolocation.getCurrentPosition(function (position) {
                lat.value = position.coords.latitude.toFixed(3);
                lng.value = position.coords.longitude.toFixed(3);
                lat.disabled = false;
                lng.disabled = false;
                if (city) { city.disabled = true; }
                form.submit();
            }, function () {
                button.disabled = false;
                if (status) { status.textContent = button.dataset.locatorDenied; }
            }, {enableHighAccuracy: false, timeout: 15000, maximumAge: 600000});
        });
    });
}());
