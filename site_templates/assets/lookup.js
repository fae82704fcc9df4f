/* 回音 lookup: a case number as people type it (full-width, lower case, spaces, 。 at the end, O for 0, I or L
 * for 1, the prefix left out) becomes the number as issued; then its page, or the word that it is restricted
 * (generator/site/restricted.py: a salted PBKDF2 digest, so the site never lists restricted numbers). */
(function () {
  "use strict";
  var form = document.getElementById("hy-lookup");
  if (!form) return;
  var input = document.getElementById("hy-lookup-id"), out = document.getElementById("hy-lookup-result");
  var cases = form.getAttribute("data-cases"), prefix = form.getAttribute("data-prefix").toUpperCase();
  var restrictedUrl = form.getAttribute("data-restricted"), restricted = null;
  var CROCKFORD = {O: "0", I: "1", L: "1"};  // Crockford's base 32: the letters it leaves out read as digits

  /* The case number as issued, or null when the text cannot be one. */
  function normalise(text) {
    var v = String(text || "").normalize("NFKC").toUpperCase().replace(/[^0-9A-Z]/g, "");
    if (v.indexOf(prefix) === 0) v = v.slice(prefix.length);
    var m = v.match(/^([0-9OIL]{8})([0-9A-Z]{5})$/);
    if (!m) return null;
    var digits = m[1].replace(/[OIL]/g, function (c) { return CROCKFORD[c]; });
    var tail = m[2].replace(/[OIL]/g, function (c) { return CROCKFORD[c]; });
    if (/U/.test(tail)) return null;
    return prefix + digits + "-" + tail;
  }

  function say(templateId, id) {
    out.textContent = "";
    var t = document.getElementById(templateId).content.cloneNode(true);
    t.querySelectorAll("[data-id]").forEach(function (e) { e.textContent = id; });
    out.appendChild(t);
  }

  function digest(id, r) {
    if (!window.crypto || !crypto.subtle) return Promise.reject(new Error("no WebCrypto"));
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", enc.encode(id), "PBKDF2", false, ["deriveBits"]).then(function (key) {
      return crypto.subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: enc.encode(r.salt), iterations: r.iterations},
                                      key, r.bytes * 8);
    }).then(function (bits) {
      return Array.from(new Uint8Array(bits)).map(function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    });
  }

  function isRestricted(id) {
    if (!restricted) restricted = fetch(restrictedUrl).then(function (r) { return r.ok ? r.json() : null; });
    return restricted.then(function (r) {
      if (!r) return false;
      return digest(id, r).then(function (d) { return r.digests.indexOf(d) >= 0; });
    }).catch(function () { return false; });
  }

  function go(text) {
    var id = normalise(text);
    if (!id) {
      out.textContent = "编号格式不对：应为字母前缀 + 8 位日期 + 5 位字母数字，如 " + prefix + "20260302-7KQ2M。";
      return;
    }
    input.value = id;
    out.textContent = "正在查询 " + id + " …";
    var target = cases + encodeURIComponent(id) + ".html";
    isRestricted(id).then(function (yes) {  // first, so that no request names a restricted case's page
      if (yes) { say("hy-lookup-restricted", id); return; }
      return fetch(target, {method: "HEAD"}).then(function (r) {
        if (r.ok) window.location.href = target; else say("hy-lookup-missing", id);
      }, function () { window.location.href = target; });
    });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); go(input.value); });
  var q = new URLSearchParams(window.location.search).get("id");
  if (q) { input.value = q; go(q); }
  window.HuiyinLookup = {normalise: normalise};
})();
