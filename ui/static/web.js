/* citewire web chat, loaded by ui/web.py. Clicks inside rendered messages and cards ([n], read the article,
   rate, copy, retry unfiltered, back to the answer), the question box's counter and busy guard, the link to the
   conversation in the address bar, and the dark mode toggle. Everything untrusted was escaped by the server. */
(function () {
  if (window.__citewireInit) { return; }
  window.__citewireInit = true;

  function $(sel, root) { return (root || document).querySelector(sel); }

  // ---- sources: [n] shows card n of its answer; "Back to the answer" returns --------------------------
  function showCard(card) {
    var group = card.closest(".cw-group");
    if (group) {
      document.querySelectorAll(".cw-sources .cw-group").forEach(function (g) {
        g.setAttribute("data-active", g === group ? "true" : "false");
      });
    }
    document.querySelectorAll(".cw-card.cw-highlight").forEach(function (c) { c.classList.remove("cw-highlight"); });
    card.classList.add("cw-highlight");
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }

  function keyOf(el) {
    var m = /(?:^|\s)cw-key-([A-Za-z0-9_-]+)/.exec(el.className || "");
    return m ? m[1] : "";
  }

  function backToAnswer(key) {
    var answer = $("#cw-chat .cw-answer.cw-key-" + key);
    if (answer) { answer.scrollIntoView({ behavior: "smooth", block: "center" }); }
  }

  // ---- the article reader --------------------------------------------------------------------------------
  function reader() {
    var dlg = $("#cw-reader");
    if (dlg) { return dlg; }
    dlg = document.createElement("dialog");
    dlg.id = "cw-reader";
    dlg.setAttribute("aria-label", "Article");
    dlg.innerHTML = '<div class="cw-reader-bar"><button type="button" class="cw-act" id="cw-reader-close">Close</button></div>' +
      '<div id="cw-reader-body"></div>';
    document.body.appendChild(dlg);
    $("#cw-reader-close", dlg).addEventListener("click", function () { dlg.close(); });
    dlg.addEventListener("click", function (ev) { if (ev.target === dlg) { dlg.close(); } });
    return dlg;
  }

  function openArticle(id, start, end) {
    var dlg = reader();
    var body = $("#cw-reader-body", dlg);
    body.textContent = "Loading the article\u2026";
    if (!dlg.open) { dlg.showModal(); }
    var url = new URL("api/articles/" + encodeURIComponent(id), document.baseURI);
    if (end > start) { url.searchParams.set("start", start); url.searchParams.set("end", end); }
    fetch(url.toString(), { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (!res.ok) { body.textContent = res.data.error || "Could not load the article."; return; }
      body.innerHTML = res.data.html;  // made and escaped by ui.web_render.article_html
      var hl = $("#cw-reader-hl", body);
      if (hl) { hl.scrollIntoView({ block: "center" }); }
    }).catch(function () { body.textContent = "Could not load the article; is the server running?"; });
  }

  // ---- messages to the server through the hidden bridge box ---------------------------------------------
  function bridge(buttonId, payload) {
    var box = $("#cw-bridge textarea, #cw-bridge input");
    var go = $("#" + buttonId);
    if (!box || !go) { return; }
    var proto = box.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(box, JSON.stringify(payload));
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(function () { go.click(); }, 0);
  }

  function copy(text, status) {
    function done(ok) { if (status) { status.textContent = ok ? "Copied." : "Could not copy; select the text instead."; } }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
    window.__cwCopied = text;
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  // ---- clicks ----------------------------------------------------------------------------------------------
  document.addEventListener("click", function (ev) {
    var el = ev.target && ev.target.closest ? ev.target : null;
    if (!el) { return; }
    var hit;
    if ((hit = el.closest("a.cw-cite, a[data-cw-card]"))) {
      ev.preventDefault(); ev.stopPropagation();
      var id = hit.getAttribute("data-cw-card") || (hit.getAttribute("href") || "").replace(/^#/, "");
      var card = id ? document.getElementById(id) : null;
      if (card) { showCard(card); }
      return;
    }
    if ((hit = el.closest("[data-cw-back]"))) { ev.preventDefault(); backToAnswer(hit.getAttribute("data-cw-back")); return; }
    if ((hit = el.closest("[data-cw-read]"))) {
      ev.preventDefault(); ev.stopPropagation();
      openArticle(hit.getAttribute("data-cw-read"), parseInt(hit.getAttribute("data-start") || "0", 10),
                  parseInt(hit.getAttribute("data-end") || "0", 10));
      return;
    }
    var bar = el.closest(".cw-actions");
    if (bar && (hit = el.closest(".cw-rate-up, .cw-rate-down"))) {
      ev.preventDefault(); ev.stopPropagation();
      bar.querySelectorAll(".cw-rate-up, .cw-rate-down").forEach(function (b) { b.setAttribute("aria-pressed", b === hit ? "true" : "false"); });
      bridge("cw-rate-go", { key: keyOf(bar), rating: hit.classList.contains("cw-rate-up") ? 1 : -1 });
      return;
    }
    if (bar && (hit = el.closest(".cw-copy-md, .cw-copy-plain"))) {
      ev.preventDefault(); ev.stopPropagation();
      var group = document.getElementById("cw-" + keyOf(bar));  // its group in the sources panel holds the texts
      var which = hit.classList.contains("cw-copy-md") ? "data-cw-md" : "data-cw-plain";
      copy(group ? (group.getAttribute(which) || "") : "", $(".cw-act-status", bar));
      return;
    }
    if ((hit = el.closest(".cw-retry"))) {
      ev.preventDefault(); ev.stopPropagation();
      if (!isBusy()) { bridge("cw-retry-go", { key: keyOf(hit) }); }
      return;
    }
    if ((hit = el.closest("[data-cw-copy-link]"))) {
      ev.preventDefault();
      var link = new URL("?c=" + hit.getAttribute("data-cw-copy-link"), document.baseURI).toString();
      copy(link, null);
      hit.textContent = "Link copied";
      return;
    }
    if ((hit = el.closest("#cw-theme"))) { setTheme(!document.body.classList.contains("dark")); return; }
    var cell = el.closest("#cw-articles [role=gridcell], #cw-articles td");
    if (cell) {  // a title (first column) opens the article; its id is the row's last cell
      var row = cell.closest("[role=row], tr");
      var cells = row ? row.querySelectorAll("[role=gridcell], td") : [];
      if (cells.length && cells[0] === cell) { openArticle((cells[cells.length - 1].innerText || "").trim(), 0, 0); }
    }
  }, true);

  // ---- the question box: counter, limit, one question at a time -----------------------------------------------
  function isBusy() { var send = $("#cw-send"); return !!(send && send.disabled); }

  function note(text) {  // its own element: the server's notes (#cw-input-note) belong to Gradio
    var box = $("#cw-busy-note");
    if (box && box.textContent !== text) { box.textContent = text; }
  }

  function updateCounter() {
    var counter = $("#cw-counter-text");
    var box = $("#cw-question textarea");
    if (!counter || !box) { return; }
    var max = parseInt(counter.getAttribute("data-max") || "0", 10);
    var n = box.value.replace(/\s+/g, " ").trim().length;
    var text = n.toLocaleString() + " / " + max.toLocaleString();
    if (counter.textContent !== text) { counter.textContent = text; }  // (a mutation observer calls this)
    if (counter.classList.contains("cw-over") !== n > max) { counter.classList.toggle("cw-over", n > max); }
  }

  document.addEventListener("input", function (ev) {
    if (ev.target && ev.target.closest && ev.target.closest("#cw-question")) { updateCounter(); }
  }, true);

  function guard(ev) {
    var inBox = ev.target && ev.target.closest && ev.target.closest("#cw-question");
    if (!inBox || ev.key !== "Enter" || ev.shiftKey || !isBusy()) { return; }
    ev.preventDefault(); ev.stopImmediatePropagation();
    note("Still answering the last question: sending waits until it is done or stopped. What you type stays in the box.");
  }
  window.addEventListener("keydown", guard, true);
  window.addEventListener("keypress", guard, true);

  // ---- the conversation link in the address bar; the counter after the server clears the box ----------------
  var lastConv = null;
  new MutationObserver(function () {
    updateCounter();
    if (!isBusy()) { note(""); }
    var bar = $("#cw-conv-bar .cw-conv-bar");
    if (bar) {
      var id = bar.getAttribute("data-cw-conv") || "";
      if (id !== lastConv) {
        var was = lastConv;
        lastConv = id;
        if (!id && !was) { return; }  // before the first answer: keep a ?c= the page was opened with
        var url = new URL(window.location.href);
        if (id) { url.searchParams.set("c", id); } else { url.searchParams.delete("c"); }
        if (url.toString() !== window.location.href) { history.replaceState(null, "", url.toString()); }
      }
    }
  }).observe(document.documentElement, { subtree: true, childList: true });

  // ---- dark mode ---------------------------------------------------------------------------------------------
  function setTheme(dark) {
    document.body.classList.toggle("dark", dark);
    document.documentElement.classList.toggle("dark", dark);
    try { localStorage.setItem("cw-theme", dark ? "dark" : "light"); } catch (e) { /* private mode */ }
    var btn = $("#cw-theme");
    if (btn) { btn.setAttribute("aria-pressed", dark ? "true" : "false"); btn.textContent = dark ? "Light mode" : "Dark mode"; }
  }
  function initialTheme() {
    var saved = null;
    try { saved = localStorage.getItem("cw-theme"); } catch (e) { saved = null; }
    if (saved) { setTheme(saved === "dark"); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initialTheme); } else { initialTheme(); }
  new MutationObserver(function (_, obs) {
    var btn = $("#cw-theme");
    if (btn) { setTheme(document.body.classList.contains("dark")); obs.disconnect(); }
  }).observe(document.documentElement, { subtree: true, childList: true });
})();
