/* citewire web chat: clicking [n] in an answer shows and highlights source card n of that answer. */
(function () {
  if (window.__citewireInit) { return; }
  window.__citewireInit = true;

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

  document.addEventListener("click", function (ev) {
    var el = ev.target;
    var link = el && el.closest ? el.closest("a.cw-cite, [data-cw-card]") : null;
    if (!link) { return; }
    var id = link.getAttribute("data-cw-card") || (link.getAttribute("href") || "").replace(/^#/, "");
    ev.preventDefault();
    ev.stopPropagation();
    var card = id ? document.getElementById(id) : null;
    if (card) { showCard(card); }
  }, true);
})();
