// The contributor's home: the task feed re-reads itself when jobs appear, run out or change pay, and the
// accuracy and tier lines follow gold results and tier moves, without a reload.
"use strict";
(() => {
    const live = window.marketplaceLive;
    const feed = document.querySelector("[data-testid=feed] tbody");
    if (!live || !feed) return;

    async function refreshFeed() {
        const response = await fetch("/api/work/feed", { credentials: "same-origin" });
        if (!response.ok) return;
        const entries = await response.json();
        feed.replaceChildren(...entries.map(row));
    }

    function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }

    function row(f) {
        const tr = document.createElement("tr");
        tr.append(cell(f.title), cell(f.taskType), cell(live.money(f.payMinor, f.currency)), cell(`${f.estimatedSeconds} s`), cell(String(f.itemsLeft)));
        const action = document.createElement("td");
        if (f.canWork) {
            const a = document.createElement("a");
            a.href = `/Work/Label?job=${f.jobId}`;
            a.dataset.testid = `start-${f.jobId}`;
            a.textContent = "Start";
            action.append(a);
        } else {
            const span = document.createElement("span");
            span.className = "muted";
            span.textContent = f.reason || "";
            action.append(span);
        }
        tr.append(action);
        return tr;
    }

    async function refreshStanding() {
        const response = await fetch("/api/work/dashboard", { credentials: "same-origin" });
        if (!response.ok) return;
        const d = await response.json();
        const pct = (v, digits) => `${(v * 100).toFixed(digits)}%`;
        const accuracy = document.querySelector("[data-testid=accuracy]");
        if (accuracy) accuracy.textContent = `${pct(d.accuracy.mean, 1)} (95% credible interval ${pct(d.accuracy.lower95, 0)}–${pct(d.accuracy.upper95, 0)}, from ${d.accuracy.goldAnswers} gold answers)`;
        const tier = document.querySelector("[data-testid=tier]");
        if (tier) tier.textContent = d.tier.tier;
        const earnings = document.querySelector("[data-testid=earnings]");
        if (earnings) earnings.textContent = d.earnings.length === 0 ? "nothing yet" : d.earnings.map(e =>
            `${live.money(e.pendingMinor, e.currency)} pending (on hold), ${live.money(e.availableMinor, e.currency)} available, ${live.money(e.inTransitMinor, e.currency)} being paid out`).join("; ");
    }

    const feedSoon = live.debounce(refreshFeed, 400);
    live.connect({
        FeedChanged: feedSoon,
        GoldScored: refreshStanding,
        TierChanged: refreshStanding,
        EarningsChanged: refreshStanding,
        PayoutChanged: refreshStanding,
    }, () => refreshFeed());
})();
