// The buyer's job page: watches the job over SignalR and rewrites the progress figures and the status as they move.
"use strict";
(() => {
    const facts = document.querySelector("[data-testid=progress][data-job]");
    if (!facts || !window.marketplaceLive) return;
    const jobId = facts.dataset.job;
    const currency = facts.dataset.currency;
    const live = window.marketplaceLive;
    const set = (field, text) => { const el = facts.querySelector(`[data-field=${field}]`); if (el) el.textContent = text; };
    const n = value => value.toLocaleString();
    const percent = (value, digits) => `${(value * 100).toFixed(digits)}%`;

    function render(p) {
        set("finalized", `${n(p.finalizedItems)} of ${n(p.items)}${p.items > 0 ? ` (${percent(p.finalizedItems / p.items, 0)})` : ""}`);
        set("labels", `${n(p.labels)} (${n(Math.round(p.labelsPerHour))} in the last hour)`);
        set("spent", `${live.money(p.spentMinor, currency)} of ${live.money(p.budgetMinor, currency)}`);
        set("accuracy", p.estimatedAccuracy == null ? "not yet: no item is finalized" : `${percent(p.estimatedAccuracy, 1)} (mean confidence of the finalized answers)`);
        set("per-correct", p.costPerCorrectAnswerMinor == null ? "not yet" : `${live.money(Math.round(p.costPerCorrectAnswerMinor), currency)} (spend over the expected number of right finalized answers)`);
        set("eta", p.estimatedCompletion ? `${new Date(p.estimatedCompletion).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z")} (at most ${n(p.labelsStillNeeded)} more labels at this pace)`
            : p.labelsStillNeeded === 0 ? "nothing left to label" : "no pace yet: labels in the last hour set it");
    }

    function status(value) {
        const badge = document.querySelector("[data-testid=status]");
        if (!badge) return;
        badge.textContent = value;
        badge.className = `status status-${value.toLowerCase()}`;
    }

    live.connect({
        JobProgress: notice => { if (notice.jobId === jobId) { render(notice.progress); status(notice.status); } },
        JobStatusChanged: notice => { if (notice.jobId === jobId) status(notice.status); },
        FundingConfirmed: notice => {
            if (notice.jobId !== jobId) return;
            const escrow = document.querySelector("[data-testid=escrow]");
            if (escrow) escrow.textContent = live.money(notice.escrowMinor, notice.currency);
            live.say("");
        },
    }, connection => connection.invoke("WatchJob", jobId));
})();
