// A guest's e-mail code asked for from the flash sale's checkout page (``flashsales.views.send_code``):
// the shopper stays on the page and fills in the rest while the e-mail comes, then one POST carries
// the code and places the order. Without this script the button stays hidden and the form's first
// POST sends the code (``flashsales.verification.guard``).
(function () {
    "use strict";
    var button = document.querySelector("[data-code-url]");
    if (!button || !window.fetch || !window.FormData) {
        return;
    }
    var form = button.form;
    var status = form.querySelector("[data-code-status]");
    var email = form.querySelector("[name=email]");
    var code = form.querySelector("[name=code]");
    button.hidden = false;
    button.addEventListener("click", function () {
        var data = new FormData();
        data.append("email", email ? email.value : "");
        data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
        button.disabled = true;
        fetch(button.getAttribute("data-code-url"), {
            method: "POST", body: data, credentials: "same-origin", headers: {"Accept": "application/json"}
        }).then(function (response) {
            var wait = parseInt(response.headers.get("Retry-After") || "0", 10) || 0;
            return response.json().then(function (answer) {
                status.textContent = answer.message;
                status.className = "alert " + (response.ok ? "alert-info" : "alert-danger");
                if (response.ok && code) {
                    code.focus();
                }
                // Asked again too soon: the button waits as the server does (a minute at most here).
                window.setTimeout(function () { button.disabled = false; }, Math.min(wait, 60) * 1000);
            });
        }).catch(function () {
            button.disabled = false;  // the network: the button (or the form's POST) can try again
        });
    });
}());
