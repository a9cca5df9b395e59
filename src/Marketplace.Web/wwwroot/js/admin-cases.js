// Fraud cases: a case the scan opens while the list is on screen is announced at once.
"use strict";
(() => {
    const notice = document.querySelector("[data-testid=new-cases]");
    if (!notice || !window.marketplaceLive) return;
    window.marketplaceLive.connect({
        FraudCaseOpened: n => {
            notice.hidden = false;
            const item = document.createElement("span");
            item.textContent = ` ${n.kind} for ${n.pseudonym} (score ${n.score.toFixed(2)}).`;
            notice.append(item);
        },
    });
})();
