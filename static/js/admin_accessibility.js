"use strict";
// Names what the admin leaves unnamed: the search box that select2 (the
// tags' autocomplete) puts inside the field has no label. It is made again
// whenever the choice changes, so each new one is named as it appears, after
// the field's own label ("Tags").
(function () {
  function labelText(select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameSearchBoxes(wrapper, name) {
    var boxes = wrapper.querySelectorAll(".select2-search__field:not([aria-label])");
    Array.prototype.forEach.call(boxes, function (box) {
      box.setAttribute("aria-label", name);
    });
  }

  function setUp() {
    var selects = document.querySelectorAll("select.admin-autocomplete[multiple]");
    Array.prototype.forEach.call(selects, function (select) {
      var name = labelText(select);
      var wrapper = select.parentNode;
      if (!name || !wrapper) return;
      nameSearchBoxes(wrapper, name);
      new MutationObserver(function () {
        nameSearchBoxes(wrapper, name);
      }).observe(wrapper, { childList: true, subtree: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
