// The job page's upload, with progress: the bytes sent, then the rows checked and stored as the server
// reports them (one JSON line per batch), then the outcome. Without JavaScript the form posts as usual.
"use strict";
(() => {
    const form = document.querySelector("form[data-live-import]");
    const status = document.querySelector("[data-testid=import-progress]");
    if (!form || !status || !window.XMLHttpRequest) return;

    const mb = bytes => (bytes / 1048576).toFixed(1);
    const show = text => { status.hidden = false; status.textContent = text; };

    form.addEventListener("submit", event => {
        const file = form.querySelector("input[type=file]").files[0];
        if (!file) return; // let the server say what is missing
        event.preventDefault();
        const button = form.querySelector("button[type=submit]");
        button.disabled = true;
        const xhr = new XMLHttpRequest();
        xhr.open("POST", form.dataset.liveImport);
        xhr.upload.addEventListener("progress", e => {
            if (e.lengthComputable) show(`Uploading: ${mb(e.loaded)} of ${mb(e.total)} MB (${Math.round(100 * e.loaded / e.total)}%)`);
        });
        xhr.upload.addEventListener("load", () => show("Uploaded. Checking every row…"));
        let last = null;
        const read = () => {
            const lines = xhr.responseText.split("\n").filter(l => l.trim());
            for (const line of lines) {
                try { last = JSON.parse(line); } catch { /* a line still arriving */ }
            }
            if (last && !last.done) show(`Checked and stored ${last.imported.toLocaleString()} rows so far…`);
        };
        xhr.addEventListener("progress", read);
        xhr.addEventListener("load", () => {
            read();
            button.disabled = false;
            if (xhr.status !== 200 || !last || !last.done) { show(`The upload failed (HTTP ${xhr.status}).`); return; }
            if (last.errors && last.errors.length) {
                show("Nothing was imported. The first problems:");
                const list = document.createElement("ul");
                list.dataset.testid = "live-import-errors";
                for (const e of last.errors) {
                    const li = document.createElement("li");
                    li.textContent = `${e.row > 0 ? `row ${e.row}, ` : ""}${e.field}: ${e.message}`;
                    list.append(li);
                }
                status.append(list);
                return;
            }
            if (last.imported > 0) {
                const gold = form.querySelector("input[name=gold]:checked")?.value === "true";
                window.location.assign(`${window.location.pathname}?imported=${last.imported}&gold=${gold}`);
            } else {
                show(last.message || "Nothing was imported.");
            }
        });
        xhr.addEventListener("error", () => { button.disabled = false; show("The upload was interrupted; nothing was imported."); });
        xhr.send(new FormData(form));
    });
})();
