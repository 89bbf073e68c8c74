/* Progressive enhancement for entry forms; every form works without it.
   - A form marked data-submit-once disables its buttons while it is being sent, so a double
     click sends it once (the server also answers a repeated form with its first answer).
   - An error summary marked data-error-summary takes the focus after a failed submit.
   - Checkboxes inside data-clash-check are marked as soon as they clash with a ticked one. */
(function () {
  "use strict";

  function submitOnce(form) {
    form.addEventListener("submit", function () {
      form.setAttribute("aria-busy", "true");
      // After the event, so the browser has already collected the form's data.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
          b.disabled = true;
        });
      }, 0);
    });
  }

  // Coming back with the Back button shows the page from the cache: make it usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });

  function overlaps(a, b) {
    return a.starts && b.starts && a.starts < b.ends && b.starts < a.ends;
  }

  function clashCheck(group) {
    var template = group.getAttribute("data-clash-text") || "";
    var boxes = Array.prototype.slice.call(group.querySelectorAll("input[type=checkbox]"));
    var spans = boxes.map(function (box) {
      return {
        box: box,
        starts: Date.parse(box.getAttribute("data-starts") || "") || 0,
        ends: Date.parse(box.getAttribute("data-ends") || "") || 0,
        title: box.getAttribute("data-title") || "",
        note: document.getElementById(box.id + "-clash")
      };
    });
    function mark() {
      spans.forEach(function (item) {
        var other = spans.find(function (candidate) {
          return candidate !== item && candidate.box.checked && overlaps(item, candidate);
        });
        if (!item.note) { return; }
        item.note.textContent = other ? template.replace("%(title)s", other.title) : "";
        item.note.hidden = !other;
      });
    }
    group.addEventListener("change", mark);
    mark();
  }

  document.querySelectorAll("form[data-submit-once]").forEach(submitOnce);
  document.querySelectorAll("[data-clash-check]").forEach(clashCheck);
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
