/* Tell the server whether this window is a phone's (under 600 px): dashboard/viewport.py reads
   the cookie and lays the figures out for it. Runs before Dash's first request, and again before
   every request this window sends: the cookie is shared by the browser's tabs, so a narrow tab
   would otherwise give a wide one phone layouts (and the reverse). */
(function () {
  var phone = window.matchMedia("(max-width: 599.98px)");
  function tell() {
    document.cookie = "kratom_phone=" + (phone.matches ? "1" : "0") + "; path=/; SameSite=Strict";
  }
  tell();
  phone.addEventListener("change", tell);
  var send = window.fetch;
  window.fetch = function () {
    tell();
    return send.apply(this, arguments);
  };
})();
