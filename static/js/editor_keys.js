"use strict";
// The Markdown editor's keyboard:
// - Tab and Shift+Tab move the focus, as in any other field: django-markdownx
//   would type a tab instead, trapping keyboard users in the editor.
// - Ctrl+] and Ctrl+[ (Cmd on a Mac) indent and outdent the selected lines
//   by four spaces, the way to indent instead of Tab.
// - Ctrl+B, Ctrl+I and Ctrl+K wrap the selection in **bold**, *italic* or a
//   [link](url) with "url" selected, ready to be typed over.
// Edits go through the browser's insertText command where it has one, so
// Ctrl+Z undoes them like typing.
(function () {
  var INDENT = "    ";
  var EDITOR = ".markdownx .markdownx-editor";

  // Replace the text from start to end with `text`, as typing would.
  function replace(editor, start, end, text) {
    editor.focus();
    editor.setSelectionRange(start, end);
    var typed = false;
    try {
      typed = document.execCommand("insertText", false, text);
    } catch (error) {
      typed = false;
    }
    if (!typed || editor.value.slice(start, start + text.length) !== text) {
      editor.setRangeText(text, start, end, "end");
      editor.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function wrap(editor, before, after, selectInside) {
    var start = editor.selectionStart;
    var end = editor.selectionEnd;
    var selected = editor.value.slice(start, end);
    replace(editor, start, end, before + selected + after);
    var inner = start + before.length;
    if (selectInside) {
      editor.setSelectionRange(inner, inner + selected.length);
    }
  }

  function link(editor) {
    var start = editor.selectionStart;
    var text = editor.value.slice(start, editor.selectionEnd);
    replace(editor, start, editor.selectionEnd, "[" + text + "](url)");
    var url = start + text.length + 3;
    editor.setSelectionRange(url, url + 3);
  }

  // The start of the line that holds `position`.
  function lineStart(value, position) {
    return value.lastIndexOf("\n", position - 1) + 1;
  }

  // Indent (direction 1) or outdent (-1) every line the selection touches.
  function shiftLines(editor, direction) {
    var value = editor.value;
    var start = lineStart(value, editor.selectionStart);
    var selectionEnd = editor.selectionEnd;
    // A selection that ends at the start of a line does not take that line.
    if (selectionEnd > editor.selectionStart && value[selectionEnd - 1] === "\n") {
      selectionEnd -= 1;
    }
    var end = value.indexOf("\n", selectionEnd);
    if (end === -1) end = value.length;
    var lines = value.slice(start, end).split("\n");
    var shifted = lines.map(function (line) {
      if (direction > 0) return line ? INDENT + line : line;
      var spaces = /^(\t| {1,4})/.exec(line);
      return spaces ? line.slice(spaces[1].length) : line;
    });
    var text = shifted.join("\n");
    if (text === value.slice(start, end)) return;
    replace(editor, start, end, text);
    editor.setSelectionRange(start, start + text.length);
  }

  var SHORTCUTS = {
    b: function (editor) {
      wrap(editor, "**", "**", true);
    },
    i: function (editor) {
      wrap(editor, "*", "*", true);
    },
    k: link,
    "]": function (editor) {
      shiftLines(editor, 1);
    },
    "[": function (editor) {
      shiftLines(editor, -1);
    },
  };

  function onKeyDown(event) {
    var editor = event.target;
    if (!editor.matches || !editor.matches(EDITOR)) return;
    var command = event.ctrlKey || event.metaKey;
    if (event.key === "Tab" && !command && !event.altKey) {
      // Keep markdownx's own handler from seeing it; the browser then moves
      // the focus as it does from any field.
      event.stopPropagation();
      return;
    }
    if (!command || event.altKey || event.shiftKey) return;
    var shortcut = SHORTCUTS[event.key.toLowerCase()];
    if (!shortcut) return;
    event.preventDefault();
    event.stopPropagation();
    shortcut(editor);
  }

  // Capturing on the window runs before markdownx's listener on the editor.
  window.addEventListener("keydown", onKeyDown, true);
})();
