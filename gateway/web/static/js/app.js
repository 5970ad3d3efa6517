// Paizhu pages: htmx requests carry the CSRF token; tabs keep their ARIA state and work with the arrow keys.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (meta) { event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
  });
  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab) { return; }
    var list = tab.parentElement;
    list.querySelectorAll('[role="tab"]').forEach(function (other) {
      other.setAttribute("aria-selected", other === tab ? "true" : "false");
    });
    var panel = document.getElementById(tab.getAttribute("aria-controls"));
    if (panel) { panel.setAttribute("aria-labelledby", tab.id); }
  });
  // Long operations (uploads, package freezing): the button says the work is under way until the next page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = form.querySelector('button[type="submit"]');
    form.setAttribute("aria-busy", "true");
    if (button && button.dataset.busy) {
      button.disabled = true;
      button.textContent = button.dataset.busy;
    }
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) { return; }
    var tabs = Array.prototype.slice.call(tab.parentElement.querySelectorAll('[role="tab"]'));
    var next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
    event.preventDefault();
  });
})();
