// Page behaviour lives here, never inline (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";

  // Charts: <div class="chart" data-chart-src="/path/chart.json"> or data-chart='{"...": ...}'.
  function renderCharts(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart], [data-chart-src]").forEach(function (el) {
      if (el.dataset.chartReady) { return; }
      el.dataset.chartReady = "1";
      var chart = echarts.init(el);
      var apply = function (option) {
        if (option.xuncha_height) {  // a chart with many rows asks for the room they need (dashboard.cards)
          el.style.height = option.xuncha_height + "px";
          chart.resize();
        }
        chart.setOption(option);
        var links = option.xuncha_links;
        if (links) {
          chart.on("click", function (params) {
            var url = links[params.name] || links[params.seriesName + "|" + params.name];
            if (url) { window.location.href = url; }
          });
        }
      };
      if (el.dataset.chart) {
        apply(JSON.parse(el.dataset.chart));
      } else {
        fetch(el.dataset.chartSrc, { credentials: "same-origin" })
          .then(function (r) { return r.json(); }).then(apply);
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // The print button of every page (base.html): <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // Confirmation on buttons that change state: <button data-confirm="确定？">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.target); });

  // Autocomplete (inspection.core.widgets.AutocompleteWidget): a search box over a hidden id input. Typing
  // fetches at most 20 matches from data-autocomplete-src (?q=, plus the form fields named in
  // data-autocomplete-with); choosing one sets the id. Editing the text clears the id.
  function autocompleteBox(el) { return el && el.closest ? el.closest(".autocomplete") : null; }

  function autocompleteClose(box) {
    var menu = box.querySelector(".autocomplete-menu");
    menu.classList.add("d-none");
    menu.innerHTML = "";
    box.querySelector(".autocomplete-text").setAttribute("aria-expanded", "false");
  }

  function autocompleteChoose(box, item) {
    box.querySelector(".autocomplete-value").value = item.dataset.id;
    box.querySelector(".autocomplete-text").value = item.dataset.label;
    autocompleteClose(box);
  }

  function autocompleteFetch(box) {
    var text = box.querySelector(".autocomplete-text");
    var params = new URLSearchParams({ q: text.value.trim() });
    var form = box.closest("form");
    (box.dataset.autocompleteWith || "").split(" ").forEach(function (name) {
      var other = name && form ? form.elements.namedItem(name) : null;
      if (other && other.value) { params.set(name, other.value); }
    });
    var seq = (box._seq || 0) + 1;
    box._seq = seq;
    fetch(box.dataset.autocompleteSrc + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        if (box._seq !== seq) { return; }  // a later keystroke already asked again
        var menu = box.querySelector(".autocomplete-menu");
        menu.innerHTML = "";
        (data.results || []).forEach(function (row, i) {
          var item = document.createElement("button");
          item.type = "button";
          item.className = "list-group-item list-group-item-action py-1 small autocomplete-item";
          item.setAttribute("role", "option");
          item.dataset.id = row.id;
          item.dataset.label = row.label;
          item.textContent = row.label;
          if (i === 0) { item.classList.add("active"); }
          menu.appendChild(item);
        });
        if (!menu.children.length) {
          var empty = document.createElement("div");
          empty.className = "list-group-item py-1 small text-muted";
          empty.textContent = text.value.trim() ? "没有匹配的单位" : "请输入单位名称";
          menu.appendChild(empty);
        }
        menu.classList.remove("d-none");
        text.setAttribute("aria-expanded", "true");
      });
  }

  function autocompleteSchedule(box) {
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { autocompleteFetch(box); }, 200);
  }

  document.addEventListener("input", function (event) {
    var box = autocompleteBox(event.target);
    if (!box || !event.target.classList.contains("autocomplete-text")) { return; }
    box.querySelector(".autocomplete-value").value = "";
    if (!event.isComposing) { autocompleteSchedule(box); }
  });
  document.addEventListener("compositionend", function (event) {
    var box = autocompleteBox(event.target);
    if (box && event.target.classList.contains("autocomplete-text")) { autocompleteSchedule(box); }
  });
  document.addEventListener("focusin", function (event) {
    var box = autocompleteBox(event.target);
    if (box && event.target.classList.contains("autocomplete-text") && !box.querySelector(".autocomplete-value").value) {
      autocompleteSchedule(box);
    }
  });
  document.addEventListener("mousedown", function (event) {
    var item = event.target.closest(".autocomplete-item");
    if (item) { event.preventDefault(); autocompleteChoose(autocompleteBox(item), item); return; }
    document.querySelectorAll(".autocomplete").forEach(function (box) {
      if (!box.contains(event.target)) { autocompleteClose(box); }
    });
  });
  document.addEventListener("keydown", function (event) {
    var box = autocompleteBox(event.target);
    if (!box || !event.target.classList.contains("autocomplete-text")) { return; }
    var items = Array.prototype.slice.call(box.querySelectorAll(".autocomplete-item"));
    var open = !box.querySelector(".autocomplete-menu").classList.contains("d-none");
    var current = items.findIndex(function (el) { return el.classList.contains("active"); });
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && items.length) {
      event.preventDefault();
      var next = event.key === "ArrowDown" ? Math.min(current + 1, items.length - 1) : Math.max(current - 1, 0);
      items.forEach(function (el, i) { el.classList.toggle("active", i === next); });
    } else if (event.key === "Enter" && open && current >= 0) {
      event.preventDefault();
      autocompleteChoose(box, items[current]);
    } else if (event.key === "Escape" && open) {
      autocompleteClose(box);
    }
  });
  // A name typed but never chosen filters nothing: clear it, so the form shows what is filtered.
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll(".autocomplete").forEach(function (box) {
      if (!box.querySelector(".autocomplete-value").value) { box.querySelector(".autocomplete-text").value = ""; }
    });
  }, true);
})();
