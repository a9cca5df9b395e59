// The admin overview's charts: pool accuracy, labels and fraud cases per day, payouts per week. Data from /api/admin/charts,
// drawn with Chart.js (from npm, copied to wwwroot/lib by the build).
(function () {
    "use strict";
    const root = document.querySelector("[data-charts]");
    if (!root || typeof Chart === "undefined") {
        return;
    }

    function draw(id, type, points, label, color) {
        const canvas = document.getElementById(id);
        if (!canvas) {
            return;
        }
        canvas.dataset.points = String(points.length);
        new Chart(canvas, {
            type: type,
            data: {
                labels: points.map(p => p.label),
                datasets: [{ label: label, data: points.map(p => p.value), backgroundColor: color, borderColor: color, fill: false, tension: 0.2 }],
            },
            options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
        });
    }

    fetch(root.dataset.charts, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(r => r.ok ? r.json() : Promise.reject(new Error(r.status + " " + r.statusText)))
        .then(data => {
            draw("chart-accuracy", "bar", data.accuracyDistribution, "Contributors", "#3b6ea5");
            draw("chart-labels", "line", data.labelsPerDay, "Labels", "#2f855a");
            draw("chart-cases", "bar", data.fraudCasesPerDay, "Cases opened", "#c53030");
            draw("chart-payouts", "bar", data.payoutsPerWeek, "Payouts paid", "#b7791f");
            draw("chart-payout-amount", "bar", data.payoutAmountPerWeek, "Paid (major units)", "#805ad5");
            root.dataset.ready = "true";
        })
        .catch(error => {
            root.insertAdjacentHTML("afterbegin", "<p class=\"error\" role=\"alert\"></p>");
            root.querySelector(".error").textContent = "Charts could not load: " + error.message;
        });
})();
