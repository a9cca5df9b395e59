// Live updates for the pages: one SignalR connection to /hubs/live (signed in by the page's cookie), handlers
// by event name, and a banner while the connection is down. It reconnects by itself, for ever, backing off to
// 30 s, and calls onConnected again after each reconnect so pages can rejoin what they watch.
"use strict";
window.marketplaceLive = (() => {
    function banner() {
        let el = document.querySelector("[data-testid=live-status]");
        if (!el) {
            el = document.createElement("div");
            el.dataset.testid = "live-status";
            el.className = "live-status";
            el.setAttribute("role", "status");
            el.hidden = true;
            document.body.prepend(el);
        }
        return el;
    }

    function say(text) {
        const el = banner();
        el.textContent = text || "";
        el.hidden = !text;
    }

    const retryDelay = attempt => Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));

    function connect(handlers, onConnected) {
        if (!window.signalR) { say("Live updates are unavailable: reload the page."); return null; }
        const connection = new signalR.HubConnectionBuilder()
            .withUrl("/hubs/live")
            .withAutomaticReconnect({ nextRetryDelayInMilliseconds: context => retryDelay(context.previousRetryCount) })
            .build();
        for (const [name, handler] of Object.entries(handlers)) connection.on(name, handler);
        connection.onreconnecting(() => say("Connection lost: reconnecting…"));
        connection.onreconnected(async () => { say(""); if (onConnected) await onConnected(connection); });

        let attempt = 0;
        const start = async () => {
            try {
                await connection.start();
                attempt = 0;
                say("");
                document.body.dataset.live = "connected";
                if (onConnected) await onConnected(connection);
            } catch {
                say("Cannot reach the server: retrying…");
                setTimeout(start, retryDelay(attempt++));
            }
        };
        // Automatic reconnect gives up only if told to; if it ever closes, start over.
        connection.onclose(() => { say("Connection lost: reconnecting…"); setTimeout(start, retryDelay(attempt++)); });
        start();
        return connection;
    }

    // As the server writes money: "1,234.50 USD", with the currency's own number of minor digits.
    function money(minor, currency) {
        const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
        const amount = new Intl.NumberFormat("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
        return `${amount} ${currency}`;
    }

    function debounce(fn, ms) {
        let timer = null;
        return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
    }

    return { connect, money, debounce, say };
})();
