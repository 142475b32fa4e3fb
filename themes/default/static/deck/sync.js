/* Presenter sync: the two windows (slides and presenter) talk by postMessage through the window
 * references they hold (window.open's result, window.opener, a message's source): that works from file://
 * in every browser and needs no storage. A BroadcastChannel is used as well where it works (Chromium shares
 * one between file:// pages; Firefox gives every file:// page its own origin), so a slides window opened
 * anew, with no reference, finds a running presenter. Each message carries the whole shared state. */
microlearn.deck.register("sync", function (deck) {
  var S = deck.strings, presenter = deck.presenter, id = deck.id;
  var peer = presenter ? window.opener : null, lastSeen = 0;
  var channel = null;
  try {
    channel = new BroadcastChannel("microlearn:" + id);
    channel.onmessage = function (e) { receive(e.data, null); };
  } catch (e) { /* no BroadcastChannel: window references alone */ }
  /* Only a window of the deck's own origin may drive it or read its state: over http(s) messages go to and
   * come from this origin alone. file:// pages have no origin to name ("*" is the only target that reaches
   * the other window), and a page on the web cannot open a file:// deck. */
  var local = location.protocol === "file:";
  deck.send = function (type) {
    var m = { microlearn: id, type: type, presenter: presenter, state: deck.state };
    if (peer && !peer.closed) try { peer.postMessage(m, local ? "*" : location.origin); } catch (e) { /* gone */ }
    if (channel) channel.postMessage(m);
  };
  /* Whether the other window was heard from in the last three seconds. */
  deck.connected = function () { return Date.now() - lastSeen < 3000; };
  window.addEventListener("message", function (e) {
    if (e.source !== window && (local || e.origin === location.origin)) receive(e.data, e.source);
  });
  function receive(m, source) {
    if (!m || m.microlearn !== id || !m.state || !deck.state) return;
    if (m.presenter !== presenter) {
      if (source) peer = source;
      lastSeen = Date.now();
    }
    deck.merge(m.state);
    if (m.type === "hello") deck.send("state");
    if (m.type === "bye" && m.presenter !== presenter) lastSeen = 0;
    deck.render();
  }
  window.addEventListener("pagehide", function () { deck.send("bye"); });
  function openPresenter() {
    if (presenter) return;
    if (peer && !peer.closed) { try { peer.focus(); } catch (e) { /* ignore */ } deck.send("state"); return; }
    var url = location.href.replace(/[?#].*$/, "") + "?presenter#" + (deck.current + 1);
    var w = window.open(url, "microlearn-presenter:" + id, "popup,width=1200,height=760");
    if (!w) { deck.announce(S.popupBlocked); deck.toast(S.popupBlocked); return; }
    peer = w;
  }
  deck.shortcut({ keys: ["P"], label: S.keyPresenter, run: openPresenter, match: function (k, l) { return l === "p"; } });
  deck.action("presenter", openPresenter);
});
