/*
 * Frame protection that does not depend on the server. Servers configured as
 * deploy/README.md says send `frame-ancestors 'self'`, so the browser refuses to show a
 * page inside another site's frame; a page's <meta> policy cannot say that, so a server
 * sending no header (a plain file server, a test copy) would let another site frame the
 * guidance and trick a reader's clicks (clickjacking). Loaded first in <head>: a page in a
 * frame of another origin hides itself at once and then offers only a link that opens it
 * on its own. Frames of the site itself are allowed, as the header allows them.
 */
(function () {
  "use strict";
  if (window.top === window.self) return;
  try {
    // Reading another origin's location throws.
    if (window.top && window.top.location.origin === location.origin) return;
  } catch (error) {
    // framed by another site
  }
  var page = document.documentElement;
  page.hidden = true;
  document.addEventListener("DOMContentLoaded", function () {
    var link = document.createElement("a");
    link.href = location.href;
    link.target = "_top";
    link.textContent = "This page is shown inside another site. Open it on its own.";
    var paragraph = document.createElement("p");
    paragraph.appendChild(link);
    document.body.replaceChildren(paragraph);
    page.hidden = false;
  });
})();
