// The job page's card payment with Stripe's Payment Element. First press: POST /api/jobs/{id}/fund creates the
// PaymentIntent (for what escrow still lacks) and the element is mounted with its client secret. Second press:
// Stripe confirms the payment (3-D Secure and redirects included) and returns to this page. Escrow is credited only
// when Stripe's signed webhook reaches the server, never from here.
"use strict";
(() => {
    const form = document.querySelector("form[data-testid=fund-stripe]");
    if (!form) return;
    const status = form.querySelector("[data-testid=fund-status]");
    const button = form.querySelector("button[type=submit]");
    const show = text => { status.hidden = false; status.textContent = text; };
    if (typeof window.Stripe !== "function") {
        show("Stripe's payment form could not be loaded (is js.stripe.com blocked?).");
        button.disabled = true;
        return;
    }

    const stripe = window.Stripe(form.dataset.publishableKey);
    let elements = null;

    const start = async () => {
        const response = await fetch(form.dataset.fundUrl, {
            method: "POST",
            credentials: "same-origin",
            // X-Requested-With: the server refuses cookie calls that change something without it (no cross-site forms).
            headers: { "Content-Type": "application/json", "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
            body: "{}",
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) { show(body.detail || body.title || `The payment could not be started (HTTP ${response.status}).`); return; }
        if (!body.clientSecret) { show("The payment could not be started: no client secret came back."); return; }
        elements = stripe.elements({ clientSecret: body.clientSecret });
        elements.create("payment").mount("#payment-element");
        button.textContent = "Pay now";
        show("Enter the payment details; nothing is charged until you press Pay now.");
    };

    const confirm = async () => {
        const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: form.dataset.returnUrl } });
        // Only reached when Stripe could not redirect: a declined card, a missing field, a network failure.
        show(error.message || "The payment did not go through.");
    };

    form.addEventListener("submit", async event => {
        event.preventDefault();
        button.disabled = true;
        try {
            await (elements ? confirm() : start());
        } catch {
            show("The payment could not be reached; nothing was charged. Try again.");
        } finally {
            button.disabled = false;
        }
    });
})();
