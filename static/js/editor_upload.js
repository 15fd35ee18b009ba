"use strict";
// Above each Markdown editor: an "Upload image" button, and a prompt to
// describe the image just uploaded.
// - The button is a file input (reachable by keyboard, styled as a button)
//   that hands its files to django-markdownx as a drop on the editor would:
//   the same upload endpoint, refusals and insertion as drag and paste.
// - After any upload (button, drag or paste) the caret goes between the
//   square brackets of the inserted ![](url), where the description belongs,
//   and a prompt (announced by screen readers) asks for one. It goes away
//   once that image has a description.
// - A line above the first editor lists the keyboard shortcuts (see
//   editor_keys.js).
(function () {
  var ACCEPTED = "image/jpeg,image/png,image/gif,image/webp";
  var MAC = /Mac|iPhone|iPad/.test(navigator.platform || "");

  function shortcutsHint() {
    var key = MAC ? "Cmd" : "Ctrl";
    var hint = document.createElement("p");
    hint.className = "inkwell-editor-keys";
    hint.textContent =
      key + "+B bold, " + key + "+I italic, " + key + "+K link, " +
      key + "+] / " + key + "+[ indent / outdent lines, " + key +
      "+S save and continue. Tab leaves the editor.";
    return hint;
  }

  function uploadButton(editor) {
    var input = document.createElement("input");
    input.type = "file";
    input.accept = ACCEPTED;
    input.multiple = true;
    input.id = editor.id + "_upload";
    input.className = "inkwell-upload-input";
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "inkwell-upload-button";
    label.textContent = "Upload image";
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var transfer = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (file) {
        transfer.items.add(file);
      });
      input.value = "";
      // markdownx uploads what is dropped on the editor, where its caret is.
      editor.dispatchEvent(
        new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true })
      );
    });
    return [input, label];
  }

  function setUpAltPrompt(container, editor, prompt) {
    var pending = null;

    function clear() {
      pending = null;
      prompt.textContent = "";
    }

    container.addEventListener("markdownx.fileUploadEnd", function (event) {
      var response = (event.detail && event.detail[0]) || {};
      var code = response.image_code || "";
      var end = editor.selectionEnd;
      var start = end - code.length;
      if (!code || editor.value.slice(start, end) !== code) return;
      // Between "![" and "]": an empty description, to be typed.
      var alt = start + 2;
      editor.focus();
      editor.setSelectionRange(alt, alt);
      pending = code;
      prompt.textContent =
        "Image uploaded. Describe it for readers who cannot see it: type the " +
        "description between the square brackets, where the cursor is.";
    });
    editor.addEventListener("input", function () {
      if (pending !== null && editor.value.indexOf(pending) === -1) clear();
    });
  }

  function setUp() {
    var containers = document.querySelectorAll(".markdownx");
    Array.prototype.forEach.call(containers, function (container) {
      var editor = container.querySelector(".markdownx-editor");
      if (!editor || !editor.id || container.hasAttribute("data-inkwell-upload")) {
        return;
      }
      container.setAttribute("data-inkwell-upload", "");
      var toolbar = document.createElement("div");
      toolbar.className = "inkwell-editor-toolbar";
      uploadButton(editor).forEach(function (element) {
        toolbar.appendChild(element);
      });
      // The keys are the same in every editor: list them above the first.
      if (!document.querySelector(".inkwell-editor-keys")) {
        toolbar.appendChild(shortcutsHint());
      }
      var prompt = document.createElement("p");
      prompt.className = "inkwell-alt-prompt";
      prompt.setAttribute("aria-live", "polite");
      prompt.id = editor.id + "_alt_prompt";
      toolbar.appendChild(prompt);
      container.insertAdjacentElement("afterbegin", toolbar);
      setUpAltPrompt(container, editor, prompt);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
