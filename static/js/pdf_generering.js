// The PDF progress page: polls the generation's status, updates the progress bar and the status text (a polite
// live region), and reloads the page once the PDF is done or has failed, so the server shows the outcome.
(function () {
  "use strict";
  var box = document.getElementById("generering-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("generering-bar");
  var text = document.getElementById("generering-text");
  var delay = 1000;

  function show(data) {
    if (data.percent === null) {
      bar.removeAttribute("value");
      bar.textContent = "";
    } else {
      bar.value = data.percent;
      bar.textContent = data.percent + " %";
    }
    if (text.textContent !== data.text) text.textContent = data.text;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // The server or network is away for a moment: wait longer, up to 30 seconds, and try again.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
