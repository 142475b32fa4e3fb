/* microlearn deck runtime (minimal navigation; the presenter modules extend it). */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var data = JSON.parse(document.getElementById("ml-data").textContent);
  var rtl = data.dir === "rtl";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var total = slides.length;
  var current = 0;
  function digits(s) { return String(s).replace(/[0-9]/g, function (d) { return data.digits.charAt(+d); }); }
  function fromHash() {
    var m = /^#(\d+)$/.exec(location.hash);
    var n = m ? parseInt(m[1], 10) : 1;
    return Math.min(Math.max(n, 1), total) - 1;
  }
  function show(i, push) {
    i = Math.min(Math.max(i, 0), total - 1);
    slides[current].classList.remove("is-current");
    current = i;
    slides[current].classList.add("is-current");
    document.querySelector(".controls__counter").textContent = digits((current + 1) + " / " + total);
    document.querySelector(".progress__bar").style.inlineSize = ((current + 1) / total * 100) + "%";
    document.getElementById("announcer").textContent = slides[current].getAttribute("aria-label");
    var hash = "#" + (current + 1);
    if (location.hash !== hash) history[push ? "pushState" : "replaceState"](null, "", hash);
  }
  function go(d) { show(current + d, true); }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var k = e.key;
    if (k === "ArrowRight") go(rtl ? -1 : 1);
    else if (k === "ArrowLeft") go(rtl ? 1 : -1);
    else if (k === "ArrowDown" || k === "PageDown" || (k === " " && !e.shiftKey)) go(1);
    else if (k === "ArrowUp" || k === "PageUp" || (k === " " && e.shiftKey)) go(-1);
    else if (k === "Home") show(0, true);
    else if (k === "End") show(total - 1, true);
    else return;
    e.preventDefault();
  });
  document.querySelector(".controls").addEventListener("click", function (e) {
    var b = e.target.closest("[data-action]");
    if (!b) return;
    var a = b.getAttribute("data-action");
    if (a === "next") go(1); else if (a === "prev") go(-1);
  });
  window.addEventListener("popstate", function () { show(fromHash(), false); });
  window.addEventListener("hashchange", function () { show(fromHash(), false); });
  slides[0].classList.add("is-current");
  show(fromHash(), false);
})();
