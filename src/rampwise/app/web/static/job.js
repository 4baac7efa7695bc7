// Follows a background job: updates the progress bar, then opens the result.
// Without JavaScript the page refreshes itself (noscript meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") { return; }
  var bar = document.getElementById("progress");
  var message = document.getElementById("job-message");
  function poll() {
    fetch("/api/jobs/" + box.dataset.job, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { window.location.reload(); return; }
        bar.value = job.progress;
        bar.textContent = Math.round(job.progress * 100) + " %";
        message.textContent = job.message;
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 500);
})();
