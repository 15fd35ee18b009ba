"use strict";
// The admin's Markdown editor, around django-markdownx's script:
// - the live preview is shown in a frame that links the public site's own
//   stylesheets, so it looks like the published page while those stylesheets
//   leave the admin alone. The frame runs no script (sandbox).
// - an upload the server refuses shows its message above the editor instead
//   of the "Invalid response" markdownx would type into the text.
// - the preview request says which field it renders and, on a saved post's
//   change page, which post or page: the server then renders it as saving
//   would store it, with its id in every id. A new post's or page's preview
//   has no id yet ("preview") until its first save.
// - the preview follows the editor's scroll position, in proportion.
// The keyboard, the upload button and kept drafts are in editor_keys.js,
// editor_upload.js and editor_drafts.js.
(function () {
  var REFUSAL_TEXT = "Invalid response";
  var URL_ATTRIBUTE = "data-markdownx-urls-path";
  // The change page of a saved post or page: /admin/blog/post/<pk>/change/.
  var CHANGE_PAGE = /\/(\d+)\/change\/$/;

  // markdownx reads the address again for every preview it asks for.
  // Return whether the address changed.
  function addressPreview(editor) {
    var path = editor.getAttribute(URL_ATTRIBUTE);
    if (!path || editor.hasAttribute("data-inkwell-preview-addressed")) {
      return false;
    }
    var params = new URLSearchParams();
    var field = editor.getAttribute("data-inkwell-preview-field");
    if (field) params.set("field", field);
    var saved = CHANGE_PAGE.exec(window.location.pathname);
    // "post" or "page": the model of the change page the editor is on.
    var model = editor.getAttribute("data-inkwell-preview-model") || "post";
    if (saved) params.set(model, saved[1]);
    var separator = path.indexOf("?") === -1 ? "?" : "&";
    editor.setAttribute(URL_ATTRIBUTE, path + separator + params.toString());
    editor.setAttribute("data-inkwell-preview-addressed", "");
    return true;
  }

  function addressPreviews() {
    var editors = document.querySelectorAll(".markdownx .markdownx-editor");
    Array.prototype.forEach.call(editors, function (editor) {
      if (addressPreview(editor) && editor.hasAttribute("data-markdownx-init")) {
        // markdownx got here first and previewed without the address.
        editor.dispatchEvent(new Event("input"));
      }
    });
  }

  function frameDocument(stylesheets) {
    var links = stylesheets.map(function (href) {
      return '<link rel="stylesheet" href="' + encodeURI(href) + '">';
    });
    return (
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
      '<meta name="color-scheme" content="light dark">' +
      '<base target="_blank">' + links.join("") + "</head>" +
      '<body class="inkwell-preview-body"><main><article class="post">' +
      '<div class="post-body"></div></article></main></body></html>'
    );
  }

  // Keep the preview scrolled to the same proportion of its height as the
  // editor: return the function that does it, run on every scroll.
  function followScroll(editor, frame) {
    function follow() {
      var page = frame.contentDocument && frame.contentDocument.scrollingElement;
      if (!page) return;
      var range = editor.scrollHeight - editor.clientHeight;
      var ratio = range > 0 ? editor.scrollTop / range : 0;
      page.scrollTop = ratio * (page.scrollHeight - page.clientHeight);
    }
    editor.addEventListener("scroll", follow, { passive: true });
    return follow;
  }

  function setUpPreview(container, editor, preview) {
    var attribute = editor.getAttribute("data-inkwell-preview-stylesheets");
    var stylesheets = (attribute || "").split(" ").filter(Boolean);
    var frame = document.createElement("iframe");
    frame.className = "inkwell-preview";
    frame.title = "Preview of " + (editor.name || "the text");
    frame.setAttribute("sandbox", "allow-same-origin allow-popups");
    var loaded = false;
    var latest = preview.innerHTML;
    var follow = followScroll(editor, frame);
    function show(html) {
      latest = html;
      if (!loaded) return;
      frame.contentDocument.querySelector(".post-body").innerHTML = html;
      frame.setAttribute("data-updated", String(Date.now()));
      follow();
    }
    frame.addEventListener("load", function () {
      loaded = true;
      show(latest);
    });
    frame.srcdoc = frameDocument(stylesheets);
    preview.insertAdjacentElement("afterend", frame);
    container.addEventListener("markdownx.update", function (event) {
      show(event.detail[0]);
    });
  }

  function setUpRefusals(container, editor) {
    var note = document.createElement("p");
    note.className = "inkwell-editor-error errornote";
    note.setAttribute("role", "alert");
    note.hidden = true;
    container.insertAdjacentElement("afterbegin", note);

    function refused(event) {
      var response = (event.detail && event.detail[0]) || {};
      var errors = response.image || [];
      note.textContent = errors.length
        ? errors.join(" ")
        : "The image could not be uploaded. Check your connection and try again.";
      note.hidden = false;
      // markdownx types its placeholder in after this event; take it out.
      var before = editor.value;
      var start = editor.selectionStart;
      var end = editor.selectionEnd;
      setTimeout(function () {
        var typed = before.slice(0, start) + REFUSAL_TEXT + before.slice(end);
        if (editor.value === typed) {
          editor.value = before;
          editor.selectionStart = start;
          editor.selectionEnd = end;
        }
      }, 0);
    }
    container.addEventListener("markdownx.fileUploadError", refused);
    container.addEventListener("fileUploadError", refused);
    container.addEventListener("markdownx.fileUploadEnd", function () {
      note.hidden = true;
    });
  }

  function setUp() {
    var containers = document.querySelectorAll(".markdownx");
    Array.prototype.forEach.call(containers, function (container) {
      var editor = container.querySelector(".markdownx-editor");
      var preview = container.querySelector(".markdownx-preview");
      if (!editor || !preview || container.hasAttribute("data-inkwell-editor")) {
        return;
      }
      container.setAttribute("data-inkwell-editor", "");
      setUpPreview(container, editor, preview);
      setUpRefusals(container, editor);
    });
  }

  if (document.readyState === "loading") {
    // The page is parsed ("interactive") before DOMContentLoaded, when
    // markdownx asks for the first preview: address it by then.
    document.addEventListener("readystatechange", addressPreviews);
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    addressPreviews();
    setUp();
  }
})();
