// Forms in the console: after a post the page comes back where it was (no anchor jump), the
// result is a toast in view, a wrong field is marked, and a form marked data-confirm asks first.
(function () {
  "use strict";
  var KEY = "console.scroll";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if ((form.getAttribute("method") || "get").toLowerCase() === "post") {
      try {
        sessionStorage.setItem(KEY, JSON.stringify({ path: window.location.pathname, y: window.scrollY,
                                                     form: form.getAttribute("data-action") || "" }));
      } catch (e) { /* private mode: the page starts at the top, the toast is still in view */ }
    }
  });

  function restore() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); sessionStorage.removeItem(KEY); } catch (e) { saved = null; }
    if (saved && saved.path === window.location.pathname) { window.scrollTo(0, saved.y); }
    var wrong = document.querySelector(".toast[data-field]");
    if (wrong) {
      var name = wrong.getAttribute("data-field");
      var scope = saved && saved.form ? document.querySelector("form[data-action='" + saved.form + "']") : document;
      var field = (scope || document).querySelector("[data-field-key='" + name + "'], [name='" + name + "']");
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", "toast-error");
        wrong.id = "toast-error";
        field.focus({ preventScroll: true });
      }
    }
  }

  document.addEventListener("click", function (event) {
    var close = event.target.closest ? event.target.closest(".toast-close") : null;
    if (close) { close.parentNode.remove(); }
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", restore); } else { restore(); }
})();
