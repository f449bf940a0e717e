// Small page actions written as data attributes instead of inline handlers, which the
// Content-Security-Policy does not run (shop/csp.py): every page loads this file.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("click", function (event) {
  if (!event.target.closest) {
    return;
  }
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  } else if (event.target.closest("[data-history-back]")) {
    event.preventDefault();
    window.history.back();
  } else if (event.target.closest("[data-window-close]")) {
    event.preventDefault();
    window.close();
  }
});
// Oscar's image widget (oscar/forms/widgets/image_input_widget.html): the preview hides the upload button once
// it loads, and shows it again with a warning when the file is not an image. load/error do not bubble: capture.
document.addEventListener("load", function (event) {
  var buttonId = event.target.getAttribute && event.target.getAttribute("data-upload-button");
  var button = buttonId && document.getElementById(buttonId);
  if (button) {
    button.hidden = true;
  }
}, true);
document.addEventListener("error", function (event) {
  var buttonId = event.target.getAttribute && event.target.getAttribute("data-upload-button");
  var button = buttonId && document.getElementById(buttonId);
  if (button && event.target.getAttribute("src")) {
    button.hidden = false;
    window.alert(event.target.getAttribute("data-error-message"));
  }
}, true);
