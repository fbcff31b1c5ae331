// "Citera": with JavaScript, buttons that copy the citation or the permanent link, and a
// link (¶) after each paragraph that has an anchor, so a quote can be linked to its
// paragraph. Without JavaScript the disclosure shows the same text and link.
(function () {
  "use strict";

  function announce(button, message) {
    var status = button.parentNode.querySelector(".cite-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  // The element whose text a button copies: the citation, or the permanent link.
  function source(button) {
    var details = button.closest("details");
    var selector = button.getAttribute("data-copy") === "link" ? ".cite-link a" : ".cite-text";
    return details ? details.querySelector(selector) : null;
  }

  function selectText(button) {
    var target = source(button);
    if (!target) { return; }
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var target = source(button);
    if (!target) { return; }
    var text = target.textContent;
    var fallback = function () {
      selectText(button);
      announce(button, "Kopiera med Ctrl+C (⌘C på Mac): texten är markerad.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        announce(button, "Kopierat.");
      }, fallback);
    } else {
      fallback();
    }
  }

  function addParagraphLinks() {
    var paragraphs = document.querySelectorAll("main p[id^='stycke-']");
    Array.prototype.forEach.call(paragraphs, function (paragraph) {
      var link = document.createElement("a");
      link.className = "paragraph-link";
      link.href = "#" + paragraph.id;
      link.setAttribute("aria-label", "Länk till stycket");
      link.textContent = "¶";
      paragraph.appendChild(document.createTextNode(" "));
      paragraph.appendChild(link);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".cite-actions"), function (actions) {
      actions.hidden = false;
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".cite-copy") : null;
      if (button) { copy(button); }
    });
    addParagraphLinks();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
