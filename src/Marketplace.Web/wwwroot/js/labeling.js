// The labeling page: claims a task (or runs a qualification test), shows the widget for its task type,
// submits with Enter, skips with S, and moves straight on to the next task. Talks only to /api/work.
"use strict";
(() => {
    const root = document.getElementById("labeling");
    if (!root) return;
    const jobId = root.dataset.job || null;
    const qualify = root.dataset.qualify || null;
    const $ = sel => root.querySelector(sel);
    const widgetHost = $("#widget");
    let task = null;          // the TaskView being worked on
    let widget = null;        // { answer(): any, key(e): bool }
    let queue = [];           // open questions of a qualification test
    let timer = null;

    async function api(method, url, body) {
        const response = await fetch(url, {
            method,
            // X-Requested-With: the server refuses cookie calls that change something without it (no cross-site forms).
            headers: body === undefined ? { "X-Requested-With": "XMLHttpRequest" } : { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" },
            body: body === undefined ? undefined : JSON.stringify(body),
            credentials: "same-origin",
        });
        const text = await response.text();
        const data = text ? JSON.parse(text) : null;
        return { status: response.status, data };
    }

    function say(message) { $("[data-testid=status]").textContent = message; }
    function error(message) { $("[data-testid=error]").textContent = message || ""; }

    async function next() {
        error("");
        if (qualify) {
            if (queue.length === 0) return finishQualification();
            return show(queue.shift());
        }
        const { status, data } = await api("POST", jobId ? `/api/work/jobs/${jobId}/claim` : "/api/work/claim");
        if (status === 200) return show(data);
        clear();
        if (status === 204) say("No task is waiting for you right now. Check the task feed for other jobs.");
        else say((data && (data.detail || data.title)) || `Could not claim a task (${status}).`);
    }

    async function startQualification() {
        const { status, data } = await api("POST", `/api/work/qualifications/${qualify}`);
        if (status !== 200) { clear(); say((data && data.detail) || `Could not start the test (${status}).`); return; }
        queue = data.open.slice();
        say(`Qualification test: ${data.questions} questions, pass mark ${Math.round(data.passMark * 100)}%.`);
        await next();
    }

    async function finishQualification(result) {
        clear();
        const r = result || (await api("GET", `/api/work/qualifications/${qualify}`)).data;
        $("#task").hidden = true;
        const box = $("#feedback");
        box.hidden = false;
        box.replaceChildren();
        const h = document.createElement("h2");
        h.textContent = r.status === "Passed" ? `Passed: ${r.correct} of ${r.questions} correct` : r.status === "Failed" ? `Not passed: ${r.correct} of ${r.questions} correct` : "Test in progress";
        h.dataset.testid = "qualification-result";
        box.append(h);
        for (const f of r.feedback || []) {
            const p = document.createElement("p");
            p.className = f.correct ? "ok" : "error";
            p.textContent = `${f.correct ? "✓" : "✗"} ${preview(f.payload)} — you answered ${JSON.stringify(f.answer)}, expected ${JSON.stringify(f.expectedAnswer)}`;
            box.append(p);
        }
        const back = document.createElement("a");
        back.href = "/Work";
        back.textContent = r.status === "Passed" ? "Go to your task feed" : "Back to your work";
        box.append(back);
        if (r.retakeAfter) {
            const p = document.createElement("p");
            p.textContent = `You may retake the test after ${new Date(r.retakeAfter).toLocaleString()}.`;
            box.append(p);
        }
    }

    function preview(payload) {
        return payload.text ? payload.text.slice(0, 80) : payload.imageUrl || `${payload.a} vs ${payload.b}`;
    }

    function clear() {
        task = null; widget = null;
        widgetHost.replaceChildren();
        clearInterval(timer);
        $("[data-testid=lease]").textContent = "";
    }

    function show(view) {
        clear();
        task = view;
        $("[data-testid=task-title]").textContent = view.jobTitle;
        $("[data-testid=instructions]").innerHTML = view.instructionsHtml; // rendered server-side with HTML disabled
        widget = widgets[view.taskType](view, widgetHost);
        const expires = new Date(view.leaseExpiresAt).getTime();
        const tick = () => {
            const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
            $("[data-testid=lease]").textContent = left > 0 ? `Lease: ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} left` : "Lease expired";
        };
        tick();
        timer = setInterval(tick, 1000);
    }

    async function submit() {
        if (!task || !widget) return;
        const answer = widget.answer();
        if (answer === null) { error("Choose an answer first."); return; }
        const { status, data } = await api("POST", `/api/work/assignments/${task.assignmentId}/submit`, { answer });
        if (status === 200) {
            say("Submitted.");
            if (data.qualification && data.qualification.completedAt) { queue = []; return finishQualification(data.qualification); }
            return next();
        }
        if (status === 400) { error((data && data.detail) || "That answer is not valid."); return; }
        say((data && data.detail) || `Not accepted (${status}).`);
        return next();
    }

    async function skip() {
        if (!task || qualify) return;
        await api("POST", `/api/work/assignments/${task.assignmentId}/release`);
        say("Skipped.");
        await next();
    }

    // ---- widgets: each builds its UI and returns { answer(), key(event) } ----
    function labelButtons(view, host, multi) {
        const chosen = new Set();
        const bar = document.createElement("div");
        bar.className = "choices";
        const buttons = view.labels.map((label, i) => {
            const b = document.createElement("button");
            b.type = "button";
            b.textContent = `${i + 1}. ${label}`;
            b.dataset.label = label;
            b.setAttribute("aria-pressed", "false");
            b.addEventListener("click", () => toggle(i));
            bar.append(b);
            return b;
        });
        function toggle(i) {
            const label = view.labels[i];
            if (!multi) chosen.clear();
            if (chosen.has(label)) chosen.delete(label); else chosen.add(label);
            buttons.forEach(b => b.setAttribute("aria-pressed", String(chosen.has(b.dataset.label))));
        }
        host.append(bar);
        return {
            chosen,
            toggle,
            key: e => { const n = Number(e.key); if (n >= 1 && n <= view.labels.length) { toggle(n - 1); return true; } return false; },
        };
    }

    function content(view, host) {
        const p = view.payload;
        if (p.imageUrl) { const img = document.createElement("img"); img.src = p.imageUrl; img.alt = "item"; img.className = "item-image"; host.append(img); }
        if (p.text) { const t = document.createElement("p"); t.className = "item-text"; t.textContent = p.text; host.append(t); }
    }

    const widgets = {
        SingleChoice(view, host) {
            content(view, host);
            const b = labelButtons(view, host, false);
            return { answer: () => b.chosen.size ? [...b.chosen][0] : null, key: b.key };
        },
        Pairwise(view, host) {
            const pair = document.createElement("div");
            pair.className = "pair";
            for (const side of ["a", "b"]) {
                const d = document.createElement("div");
                d.className = "item-text";
                d.textContent = `${side.toUpperCase()}: ${view.payload[side]}`;
                pair.append(d);
            }
            host.append(pair);
            const b = labelButtons(view, host, false);
            return { answer: () => b.chosen.size ? [...b.chosen][0] : null, key: b.key };
        },
        MultiLabel(view, host) {
            content(view, host);
            const b = labelButtons(view, host, true);
            return { answer: () => [...b.chosen], key: b.key };
        },
        FreeText(view, host) {
            content(view, host);
            const area = document.createElement("textarea");
            area.rows = 3; area.maxLength = 2000; area.dataset.testid = "free-text";
            host.append(area);
            setTimeout(() => area.focus(), 0);
            return { answer: () => area.value.trim() ? area.value : null, key: () => false };
        },
        BoundingBox(view, host) {
            const b = labelButtons(view, host, false);
            b.toggle(0);
            const stage = document.createElement("div");
            stage.className = "stage";
            const img = document.createElement("img");
            img.src = view.payload.imageUrl; img.alt = "item"; img.draggable = false;
            const canvas = document.createElement("canvas");
            canvas.dataset.testid = "box-canvas";
            stage.append(img, canvas);
            host.append(stage);
            const list = document.createElement("ul");
            list.dataset.testid = "boxes";
            host.append(list);
            const boxes = [];
            let start = null;
            const scale = () => img.naturalWidth ? img.naturalWidth / img.clientWidth : 1;
            const fit = () => { canvas.width = img.clientWidth; canvas.height = img.clientHeight; draw(); };
            img.addEventListener("load", fit);
            function point(e) { const r = canvas.getBoundingClientRect(); return { x: e.clientX - r.left, y: e.clientY - r.top }; }
            function draw(current) {
                const g = canvas.getContext("2d");
                g.clearRect(0, 0, canvas.width, canvas.height);
                g.lineWidth = 2; g.strokeStyle = "#e4572e"; g.font = "12px sans-serif"; g.fillStyle = "#e4572e";
                const s = scale();
                for (const box of boxes) { g.strokeRect(box.x / s, box.y / s, box.w / s, box.h / s); g.fillText(box.label, box.x / s + 2, box.y / s + 12); }
                if (current) g.strokeRect(current.x, current.y, current.w, current.h);
            }
            function rect(a, c) { return { x: Math.min(a.x, c.x), y: Math.min(a.y, c.y), w: Math.abs(c.x - a.x), h: Math.abs(c.y - a.y) }; }
            canvas.addEventListener("mousedown", e => { start = point(e); });
            canvas.addEventListener("mousemove", e => { if (start) draw(rect(start, point(e))); });
            canvas.addEventListener("mouseup", e => {
                if (!start) return;
                const r = rect(start, point(e));
                start = null;
                if (r.w < 3 || r.h < 3) { draw(); return; }
                const s = scale();
                const label = [...b.chosen][0] || view.labels[0];
                const box = { label, x: Math.round(r.x * s), y: Math.round(r.y * s), w: Math.round(r.w * s), h: Math.round(r.h * s) };
                boxes.push(box);
                const li = document.createElement("li");
                li.textContent = `${box.label} at ${box.x},${box.y} ${box.w}×${box.h} `;
                const remove = document.createElement("button");
                remove.type = "button"; remove.className = "link"; remove.textContent = "remove";
                remove.addEventListener("click", () => { boxes.splice(boxes.indexOf(box), 1); li.remove(); draw(); });
                li.append(remove);
                list.append(li);
                draw();
            });
            if (img.complete) fit();
            return { answer: () => boxes.map(({ label, x, y, w, h }) => ({ label, x, y, w, h })), key: b.key };
        },
        TextSpan(view, host) {
            const b = labelButtons(view, host, false);
            b.toggle(0);
            const text = document.createElement("p");
            text.className = "item-text selectable";
            text.textContent = view.payload.text;
            host.append(text);
            const list = document.createElement("ul");
            list.dataset.testid = "spans";
            host.append(list);
            const spans = [];
            text.addEventListener("mouseup", () => {
                const sel = window.getSelection();
                if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
                const range = sel.getRangeAt(0);
                if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
                const before = document.createRange();
                before.setStart(text, 0);
                before.setEnd(range.startContainer, range.startOffset);
                const start = before.toString().length;
                const end = start + range.toString().length;
                const label = [...b.chosen][0] || view.labels[0];
                const span = { label, start, end };
                spans.push(span);
                const li = document.createElement("li");
                li.textContent = `${label}: "${view.payload.text.slice(start, end)}" `;
                const remove = document.createElement("button");
                remove.type = "button"; remove.className = "link"; remove.textContent = "remove";
                remove.addEventListener("click", () => { spans.splice(spans.indexOf(span), 1); li.remove(); });
                li.append(remove);
                list.append(li);
                sel.removeAllRanges();
            });
            return { answer: () => spans.slice(), key: b.key };
        },
    };

    document.addEventListener("keydown", e => {
        if (!task || e.ctrlKey || e.metaKey || e.altKey) return;
        const typing = e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement;
        if (e.key === "Enter" && !(typing && e.shiftKey)) { e.preventDefault(); submit(); return; }
        if (typing) return;
        if (e.key === "s" || e.key === "S") { e.preventDefault(); skip(); return; }
        if (widget && widget.key(e)) e.preventDefault();
    });
    // The server warns a minute before a lease ends, in case the page's own countdown went unnoticed.
    if (window.marketplaceLive) {
        window.marketplaceLive.connect({
            LeaseExpiring: notice => {
                if (task && notice.assignmentId === task.assignmentId) say(`Your lease on this task ends in ${notice.secondsLeft} s: submit or skip.`);
            },
        });
    }

    $("#submit").addEventListener("click", submit);
    $("#skip").addEventListener("click", skip);
    if (qualify) { $("#skip").hidden = true; startQualification(); } else next();
})();
