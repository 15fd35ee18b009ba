"use strict";
// Work in a post's or page's form is never lost:
// - As the author types, the form's text fields are kept in this browser
//   (localStorage), under the form's address: the add form, or the change
//   form of one post or page.
// - Opening that form again with a kept copy that differs from the saved
//   text shows a notice with the copy's time, and "Restore" and "Discard".
//   Until the author picks one, the copy is left as it is.
// - A save that succeeds removes the copy: the form marks it as submitted
//   (sessionStorage), and the next admin page (the form again, or the list)
//   removes it when it says the save succeeded, or keeps it when the form
//   came back with errors. This script is on the list pages for that.
// - Leaving the form with unsaved changes asks first; submitting it does not.
// - Ctrl+S (Cmd+S on a Mac) is "Save and continue editing".
(function () {
  var PREFIX = "inkwell-draft:";
  var SUBMITTED = "inkwell-draft-submitted";
  var DELAY_MS = 400;
  // The admin's "Please correct the errors below" (not the editor's own
  // upload note, which shares its class).
  var FORM_ERRORS = ".errornote:not(.inkwell-editor-error), .errorlist";
  var FIELDS =
    "textarea[name], input[name]:not([type]), input[name][type=text], " +
    "select[name]:not([multiple])";

  function storageKey(path) {
    return PREFIX + path;
  }

  function readDraft(key) {
    try {
      var draft = JSON.parse(window.localStorage.getItem(key) || "null");
      return draft && draft.fields ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function removeDraft(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      // Storage is off; there is nothing to remove.
    }
  }

  // After a submission: remove its draft when the save succeeded.
  function settleSubmission() {
    var submitted;
    try {
      submitted = JSON.parse(window.sessionStorage.getItem(SUBMITTED) || "null");
      window.sessionStorage.removeItem(SUBMITTED);
    } catch (error) {
      return;
    }
    if (!submitted) return;
    var failed = document.querySelector(FORM_ERRORS);
    var saved = document.querySelector(".messagelist .success");
    if (saved && !failed) removeDraft(submitted.key);
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.querySelectorAll(FIELDS), function (field) {
      return !field.disabled && field.name !== "csrfmiddlewaretoken";
    });
  }

  function snapshot(fields) {
    var values = {};
    fields.forEach(function (field) {
      values[field.name] = field.value;
    });
    return values;
  }

  function sameValues(a, b) {
    if (a === null || b === null) return false;
    var names = Object.keys(a);
    return (
      names.length === Object.keys(b).length &&
      names.every(function (name) {
        return b[name] === a[name];
      })
    );
  }

  // Whether the draft says anything the form does not already hold.
  function differs(draft, current) {
    return Object.keys(draft.fields).some(function (name) {
      return name in current && current[name] !== draft.fields[name];
    });
  }

  function showTime(time) {
    var element = document.createElement("time");
    var date = new Date(time);
    element.dateTime = date.toISOString();
    element.textContent = date.toLocaleString(undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    return element;
  }

  function offer(form, draft, restore, discard) {
    var notice = document.createElement("div");
    notice.className = "inkwell-draft-notice";
    notice.setAttribute("role", "status");
    var text = document.createElement("p");
    text.appendChild(
      document.createTextNode("This browser kept changes you did not save, from ")
    );
    text.appendChild(showTime(draft.savedAt));
    text.appendChild(document.createTextNode("."));
    notice.appendChild(text);
    [
      ["Restore", restore],
      ["Discard", discard],
    ].forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = choice[0];
      button.addEventListener("click", function () {
        choice[1]();
        notice.remove();
      });
      notice.appendChild(button);
    });
    form.insertAdjacentElement("afterbegin", notice);
  }

  function setUpForm(form) {
    var key = storageKey(window.location.pathname);
    var fields = keptFields(form);
    // A form that came back with errors holds text that is saved nowhere:
    // it counts as changed (null) until it is saved.
    var failedSave = document.querySelector(FORM_ERRORS) !== null;
    var saved = failedSave ? null : snapshot(fields);
    var undecided = false;
    var submitting = false;
    var timer = null;

    function keep() {
      timer = null;
      if (undecided) return;
      var current = snapshot(fields);
      if (sameValues(current, saved)) {
        removeDraft(key);
        return;
      }
      try {
        window.localStorage.setItem(
          key,
          JSON.stringify({ savedAt: Date.now(), fields: current })
        );
      } catch (error) {
        // Full or turned off: the warning on leaving still protects the text.
      }
    }

    function changed() {
      clearTimeout(timer);
      timer = setTimeout(keep, DELAY_MS);
    }

    var draft = readDraft(key);
    if (failedSave) {
      keep();
    } else if (draft && differs(draft, saved)) {
      undecided = true;
      offer(
        form,
        draft,
        function () {
          undecided = false;
          fields.forEach(function (field) {
            if (field.name in draft.fields && field.value !== draft.fields[field.name]) {
              field.value = draft.fields[field.name];
              // The preview, the slug and the rest follow, as after typing.
              field.dispatchEvent(new Event("input", { bubbles: true }));
              field.dispatchEvent(new Event("change", { bubbles: true }));
            }
          });
          keep();
        },
        function () {
          undecided = false;
          removeDraft(key);
          keep();
        }
      );
    } else if (draft) {
      removeDraft(key);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // markdownx types an uploaded image's Markdown in without an input
    // event, and tells only the editor's own container (the event does not
    // bubble).
    Array.prototype.forEach.call(form.querySelectorAll(".markdownx"), function (box) {
      box.addEventListener("markdownx.fileUploadEnd", changed);
    });

    form.addEventListener("submit", function () {
      submitting = true;
      if (timer !== null) {
        clearTimeout(timer);
        keep();
      }
      try {
        window.sessionStorage.setItem(SUBMITTED, JSON.stringify({ key: key }));
      } catch (error) {
        // Without it the draft stays, and is offered only if it differs.
      }
    });

    window.addEventListener("beforeunload", function (event) {
      if (submitting || sameValues(snapshot(fields), saved)) return;
      event.preventDefault();
      // Older browsers ask only when a value is set.
      event.returnValue = "";
    });

    var saveAndContinue = form.querySelector("input[name=_continue]");
    if (saveAndContinue) {
      document.addEventListener("keydown", function (event) {
        var command = event.ctrlKey || event.metaKey;
        if (!command || event.altKey || event.key.toLowerCase() !== "s") return;
        event.preventDefault();
        saveAndContinue.click();
      });
    }
  }

  function setUp() {
    settleSubmission();
    // The post's or page's form: the one the Markdown editor is in.
    var editor = document.querySelector("form .markdownx .markdownx-editor");
    if (editor) setUpForm(editor.closest("form"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
