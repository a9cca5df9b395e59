// The admin console: payout runs and payouts as they move, newest first, without a reload.
"use strict";
(() => {
    const list = document.querySelector("[data-testid=payout-activity]");
    if (!list || !window.marketplaceLive) return;
    let empty = true;
    function add(text) {
        if (empty) { list.replaceChildren(); empty = false; }
        const li = document.createElement("li");
        li.textContent = `${new Date().toLocaleTimeString()}: ${text}`;
        list.prepend(li);
        while (list.children.length > 50) list.lastElementChild.remove();
    }
    window.marketplaceLive.connect({
        PayoutRunProgress: n => add(n.payoutId
            ? `payout ${n.payoutId} of run ${n.runId}: ${n.state}`
            : `run ${n.runKey} planned with ${n.payouts} payout(s)`),
    });
})();
