// The filter box of a long checkbox list (felles.widgets.GroupedCheckboxSelectMultiple). Without this script the
// box stays hidden and every option is shown; with it, typing narrows the list to the options whose text (or
// group heading) contains every typed word. Checked options stay in view, so a choice never disappears; hidden
// options are still submitted. A polite live region says how many options are shown.
(function () {
  "use strict";

  function words(text) {
    return text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  }

  function setUp(root) {
    if (root.hasAttribute("data-choices-ready")) return; // the widget's <script> is included once per list
    root.setAttribute("data-choices-ready", "");
    var box = root.querySelector(".portal-choices__filter");
    var input = box.querySelector("input");
    var count = root.querySelector(".portal-choices__count");
    var countText = root.getAttribute("data-count-text");
    var options = Array.prototype.map.call(root.querySelectorAll(".portal-choices__option"), function (option) {
      var group = option.closest(".portal-choices__group");
      var legend = group ? group.querySelector(".portal-choices__legend").textContent : "";
      return {
        element: option,
        checkbox: option.querySelector("input"),
        text: (legend + " " + option.textContent).toLocaleLowerCase(),
      };
    });
    var groups = root.querySelectorAll(".portal-choices__group");

    function update() {
      var wanted = words(input.value);
      var shown = 0;
      options.forEach(function (option) {
        var match = option.checkbox.checked || wanted.every(function (word) {
          return option.text.indexOf(word) !== -1;
        });
        option.element.hidden = !match;
        if (match) shown += 1;
      });
      Array.prototype.forEach.call(groups, function (group) {
        group.hidden = !group.querySelector(".portal-choices__option:not([hidden])");
      });
      count.textContent = wanted.length
        ? countText.replace("{shown}", shown).replace("{total}", options.length)
        : "";
    }

    input.addEventListener("input", update);
    // Enter in the filter box would submit the whole form: here it only filters.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    box.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-choices-filter]"), setUp);
})();
