/* Tell the server whether this window is a phone's (under 600 px): dashboard/viewport.py reads
   the cookie and lays the figures out for it. Runs before Dash's first request. */
(function () {
  var phone = window.matchMedia("(max-width: 599.98px)");
  function tell() {
    document.cookie = "kratom_phone=" + (phone.matches ? "1" : "0") + "; path=/; SameSite=Strict";
  }
  tell();
  phone.addEventListener("change", tell);
})();
