// The evidence form: only the chosen kind's content field, a filter over the control list, and a drop zone
// that takes several files at once. Without this script the form still works with every field shown.
(function () {
  "use strict";
  var form = document.getElementById("evidence-form");
  if (!form) { return; }
  var kind = form.querySelector("#id_kind");
  var contentFor = { file: "id_files", link: "id_url", note: "id_text", result: "id_result" };

  function row(id) {
    var field = document.getElementById(id);
    return field ? field.closest("p") : null;
  }

  function showKind() {
    Object.keys(contentFor).forEach(function (value) {
      var line = row(contentFor[value]);
      if (line) { line.hidden = kind.value !== value; }
    });
  }
  if (kind) {
    kind.addEventListener("change", showKind);
    showKind();
  }

  // A search box over the control picker: hides the controls that do not match, never the chosen ones.
  var controls = form.querySelector("#id_controls");
  if (controls) {
    var search = document.createElement("input");
    search.type = "search";
    search.id = "control-search";
    search.placeholder = "Type to find a control (id or words)";
    search.setAttribute("aria-label", "Find a control");
    search.setAttribute("aria-controls", "id_controls");
    controls.parentNode.insertBefore(search, controls);
    var chosen = document.createElement("p");
    chosen.className = "muted small";
    chosen.id = "controls-chosen";
    chosen.setAttribute("aria-live", "polite");
    controls.parentNode.insertBefore(chosen, controls.nextSibling);
    var showChosen = function () {
      var names = Array.prototype.filter.call(controls.options, function (o) { return o.selected; })
        .map(function (o) { return o.text.split(" ")[0]; });
      chosen.textContent = names.length ? "Chosen: " + names.join(", ") : "No control chosen yet";
    };
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(controls.options, function (option) {
        var text = option.text.toLowerCase();
        option.hidden = !option.selected && !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
    controls.addEventListener("change", showChosen);
    showChosen();
  }

  // Drop files anywhere on the zone around the file field; they join the field as if chosen in the dialog.
  var files = form.querySelector("#id_files");
  var zone = files ? files.closest("p") : null;
  if (zone) {
    zone.classList.add("drop-zone");
    var list = document.createElement("ul");
    list.id = "dropped-files";
    list.setAttribute("aria-live", "polite");
    zone.appendChild(list);
    var listFiles = function () {
      list.textContent = "";
      Array.prototype.forEach.call(files.files, function (file) {
        var item = document.createElement("li");
        item.textContent = file.name;
        list.appendChild(item);
      });
    };
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        files.files = event.dataTransfer.files;
        if (kind && kind.value !== "file") { kind.value = "file"; showKind(); }
        listFiles();
      }
    });
    files.addEventListener("change", listFiles);
  }
})();
