/* Suggestions under the header's search box, as the shopper types (/search/suggest/?q=).
 *
 * An ARIA combobox: Arrow Down/Up move through the suggestions, Enter opens the
 * highlighted product (or searches what was typed when none is highlighted),
 * Escape closes the list. Without JavaScript the box is a plain search form. */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  var label = (script && script.getAttribute("data-label")) || "Suggestions";
  var starsLabel = (script && script.getAttribute("data-stars")) || "OCOP %s stars";
  var input = document.getElementById("id_q");
  if (!url || !input || !input.form || !window.fetch) return;

  var form = input.form;
  var list = document.createElement("ul");
  list.id = "ocop-suggest";
  list.className = "ocop-suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", label);
  list.hidden = true;
  form.classList.add("ocop-suggest-host");
  form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  var items = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var lastQuery = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(suggestions) {
    list.textContent = "";
    items = suggestions.map(function (suggestion, i) {
      var item = document.createElement("li");
      item.id = "ocop-suggest-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = suggestion.url;
      link.tabIndex = -1;
      link.textContent = suggestion.title;
      item.appendChild(link);
      if (suggestion.stars) {
        var stars = document.createElement("span");
        stars.className = "ocop-suggest__stars";
        stars.textContent = suggestion.stars + "★";
        stars.setAttribute("aria-label", starsLabel.replace("%s", suggestion.stars));
        item.appendChild(stars);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box until the page changes
        window.location.href = suggestion.url;
      });
      list.appendChild(item);
      return item;
    });
    active = -1;
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function ask(query) {
    if (query === lastQuery) return;
    lastQuery = query;
    if (pending) pending.abort();
    if (query.trim().length < 2) {
      render([]);
      return;
    }
    pending = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: pending ? pending.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        if (input.value === query) render(data.suggestions || []);
      })
      .catch(function () {}); // no suggestions is fine: the search button still works
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      ask(input.value);
    }, 120);
  });

  input.addEventListener("keydown", function (event) {
    if (list.hidden || !items.length) {
      if (event.key === "ArrowDown" && items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(0);
        event.preventDefault();
      }
      return;
    }
    if (event.key === "ArrowDown") {
      highlight((active + 1) % items.length);
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      highlight(active <= 0 ? items.length - 1 : active - 1);
      event.preventDefault();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].querySelector("a").href;
    } else if (event.key === "Escape") {
      close();
      event.preventDefault();
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });
  input.addEventListener("focus", function () {
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
})();
