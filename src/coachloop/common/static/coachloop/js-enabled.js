// GOV.UK Frontend's classes for "JavaScript runs here", set on <body> before the page is drawn
// (loaded without defer, first thing in <body>), so components do not jump once scripts load.
// A file rather than the inline script GOV.UK Frontend suggests: the Content-Security-Policy
// runs no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
