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
  // The checklist as a searchable tree (findings.widgets.CategoryTreeSelect): the grouped select stays (and
  // works without script); a search box and a tree of area › aspect › manifestation set it.
  function categoryTree(select) {
    if (select.dataset.treeReady) { return; }
    select.dataset.treeReady = "1";
    var box = document.createElement("div");
    box.className = "category-tree border rounded mt-1 p-2 bg-white";
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-2 category-tree-search";
    search.placeholder = "搜索分类：输入文字或编号，如 公款吃喝、3.3";
    search.setAttribute("aria-label", "搜索问题分类");
    box.appendChild(search);
    var tree = document.createElement("div");
    tree.className = "category-tree-items";
    box.appendChild(tree);
    var areas = {};
    Array.prototype.forEach.call(select.querySelectorAll("option[data-area]"), function (option) {
      var areaName = option.dataset.area, aspectName = option.dataset.aspect;
      if (!areas[areaName]) {
        var area = document.createElement("details");
        area.className = "category-area";
        var summary = document.createElement("summary");
        summary.textContent = areaName;
        area.appendChild(summary);
        tree.appendChild(area);
        areas[areaName] = { el: area, aspects: {} };
      }
      var aspects = areas[areaName].aspects;
      if (!aspects[aspectName]) {
        var aspect = document.createElement("div");
        aspect.className = "category-aspect ms-3";
        var title = document.createElement("div");
        title.className = "small text-muted";
        title.textContent = aspectName;
        aspect.appendChild(title);
        areas[areaName].el.appendChild(aspect);
        aspects[aspectName] = aspect;
      }
      var leaf = document.createElement("button");
      leaf.type = "button";
      leaf.className = "btn btn-link btn-sm p-0 ms-3 d-block text-start category-leaf";
      leaf.dataset.value = option.value;
      leaf.dataset.text = (areaName + " " + aspectName + " " + option.textContent).toLowerCase();
      leaf.textContent = option.textContent;
      aspects[aspectName].appendChild(leaf);
    });
    function mark() {
      tree.querySelectorAll(".category-leaf").forEach(function (leaf) {
        var on = leaf.dataset.value === select.value;
        leaf.classList.toggle("fw-bold", on);
        if (on) { leaf.closest("details").open = true; }
      });
    }
    tree.addEventListener("click", function (event) {
      var leaf = event.target.closest(".category-leaf");
      if (!leaf) { return; }
      select.value = leaf.dataset.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      mark();
    });
    search.addEventListener("input", function () {
      var words = search.value.trim().toLowerCase();
      tree.querySelectorAll(".category-aspect").forEach(function (aspect) {
        var shown = 0;
        aspect.querySelectorAll(".category-leaf").forEach(function (leaf) {
          var hit = !words || leaf.dataset.text.indexOf(words) >= 0;
          leaf.classList.toggle("d-none", !hit);
          shown += hit ? 1 : 0;
        });
        aspect.classList.toggle("d-none", shown === 0);
      });
      tree.querySelectorAll("details").forEach(function (area) {
        var visible = area.querySelectorAll(".category-leaf:not(.d-none)").length;
        area.classList.toggle("d-none", visible === 0);
        area.open = Boolean(words) && visible > 0;
      });
      mark();
    });
    select.addEventListener("change", mark);
    select.insertAdjacentElement("afterend", box);
    mark();
  }
  document.querySelectorAll("select[data-category-tree]").forEach(categoryTree);
  // A name typed but never chosen filters nothing: clear it, so the form shows what is filtered.
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll(".autocomplete").forEach(function (box) {
      if (!box.querySelector(".autocomplete-value").value) { box.querySelector(".autocomplete-text").value = ""; }
    });
  }, true);
})();
