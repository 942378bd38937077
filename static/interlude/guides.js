/* Interlude's guide player: moves through the cues written into the page (each <li> of
 * [data-guide-script] with its data-seconds), one at a time, in large text. A line marked
 * data-paced is the breathing part: its phases ([data-guide-phases]) repeat until its time is
 * up, with a circle that grows and shrinks (or, where motion is reduced, a count instead).
 *
 * Pause holds everything where it is; Stop and "I've finished" send the time that ran (pauses
 * left out) with the form, and the server opens the practice log with the minutes filled in.
 * An optional soft tone at each change is made here with Web Audio (nothing is fetched), and
 * the screen is kept awake while the guide runs where the browser can (released on pause,
 * stop and leaving). Without this script the page is the whole guide as a list to read. */
(function () {
  "use strict";

  var root = document.querySelector("[data-guide]");
  var form = document.querySelector("[data-guide-form]");
  if (!root || !form) return;

  var items = Array.prototype.map.call(
    root.querySelectorAll("[data-guide-script] > li"),
    function (li) {
      return {
        text: li.textContent.trim(),
        seconds: parseInt(li.getAttribute("data-seconds"), 10) || 0,
        paced: li.hasAttribute("data-paced"),
      };
    }
  );
  var phases = Array.prototype.map.call(
    root.querySelectorAll("[data-guide-phases] > li"),
    function (li) {
      return {
        name: li.getAttribute("data-name"),
        seconds: parseInt(li.getAttribute("data-seconds"), 10) || 1,
        cue: li.textContent.trim(),
      };
    }
  );
  if (!items.length) return;

  var now = root.querySelector("[data-guide-now]");
  var list = root.querySelector("[data-guide-list]");
  var cue = root.querySelector("[data-guide-cue]");
  var pacer = root.querySelector("[data-guide-pacer]");
  var circle = root.querySelector("[data-guide-circle]");
  var phaseText = root.querySelector("[data-guide-phase]");
  var timeText = root.querySelector("[data-guide-time]");
  var status = root.querySelector("[data-guide-status]");
  var tone = root.querySelector("[data-guide-tone]");
  var pauseButton = form.querySelector("[data-guide-pause]");
  var stopButton = form.querySelector("[data-guide-stop]");
  var finishButton = form.querySelector("[data-guide-finish]");
  var elapsedField = form.querySelector("[data-guide-elapsed]");

  var total = items.reduce(function (sum, item) { return sum + item.seconds; }, 0) * 1000;
  var cycle = phases.reduce(function (sum, p) { return sum + p.seconds; }, 0) * 1000;
  var elapsed = 0; // milliseconds the guide has run, pauses left out
  var last = Date.now();
  var running = false;
  var finished = false;
  var shownItem = -1;
  var shownPhase = "";
  var shownCount = "";
  var wakeLock = null;
  var audio = null;

  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  function still() { return !!(motion && motion.matches); }
  function applyMotion() { root.classList.toggle("guide--still", still()); }

  /* --- the screen stays awake while the guide runs ----------------------------------------- */
  function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (lock) {
      if (!running) { lock.release(); return; }
      wakeLock = lock;
      lock.addEventListener("release", function () { if (wakeLock === lock) wakeLock = null; });
    }).catch(function () { /* not allowed here: the guide runs all the same */ });
  }
  function letSleep() {
    if (wakeLock) { var lock = wakeLock; wakeLock = null; lock.release().catch(function () {}); }
  }

  /* --- an optional soft tone, made in the browser ------------------------------------------ */
  function chime() {
    if (!tone || !tone.checked || !audio) return;
    try {
      var at = audio.currentTime;
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 392;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.06, at + 0.08);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.9);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 1);
    } catch (e) { /* no sound: the cues carry on */ }
  }
  if (tone) {
    tone.addEventListener("change", function () {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (tone.checked && Context) {
        audio = audio || new Context();
        if (audio.state === "suspended") audio.resume();
        chime();
      }
    });
  }

  /* --- where the guide is, and what the page shows ---------------------------------------- */
  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function position(ms) {
    var start = 0;
    for (var i = 0; i < items.length; i++) {
      var end = start + items[i].seconds * 1000;
      if (ms < end) return { index: i, into: ms - start };
      start = end;
    }
    return { index: items.length - 1, into: items[items.length - 1].seconds * 1000 };
  }

  function phaseAt(into) {
    var t = cycle ? into % cycle : 0;
    for (var i = 0; i < phases.length; i++) {
      var length = phases[i].seconds * 1000;
      if (t < length) return { index: i, phase: phases[i], into: t, cycleNo: Math.floor(into / cycle) };
      t -= length;
    }
    return { index: 0, phase: phases[0], into: 0, cycleNo: 0 };
  }

  function setPacer(phase, previous) {
    if (!circle) return;
    var names = circle.className.split(" ").filter(function (c) { return c.indexOf("pacer__circle--") !== 0; });
    circle.className = names.join(" ");
    void circle.offsetWidth; // start the animation afresh
    var shape = phase.name;
    if (shape === "hold") shape = previous && previous.name === "in" ? "full" : "small";
    circle.classList.add("pacer__circle--" + shape, "pacer__circle--d" + phase.seconds);
  }

  function render() {
    var at = position(Math.min(elapsed, total));
    var item = items[at.index];
    var changed = false;
    if (at.index !== shownItem) {
      shownItem = at.index;
      shownPhase = "";
      root.classList.toggle("guide--paced", item.paced && phases.length > 0);
      if (!item.paced || !phases.length) cue.textContent = item.text;
      changed = true;
    }
    if (item.paced && phases.length) {
      var p = phaseAt(at.into);
      var key = p.cycleNo + ":" + p.index;
      if (key !== shownPhase) {
        shownPhase = key;
        cue.textContent = p.phase.cue;
        setPacer(p.phase, phases[(p.index + phases.length - 1) % phases.length]);
        changed = true;
      }
      var count = String(Math.min(p.phase.seconds, Math.floor(p.into / 1000) + 1));
      if (count !== shownCount && phaseText) {
        shownCount = count;
        var counted = [];
        for (var n = 1; n <= Number(count); n++) counted.push(n);
        phaseText.textContent = counted.join(" · ");
      }
    }
    timeText.textContent = clock(total - elapsed) + " left";
    if (changed && elapsed > 0) chime();
  }

  function tick() {
    var t = Date.now();
    if (running) elapsed += t - last;
    last = t;
    if (running && elapsed >= total) {
      elapsed = total;
      finish();
    }
    render();
  }

  function start() {
    running = true;
    last = Date.now();
    root.classList.remove("guide--paused");
    status.textContent = "";
    pauseButton.textContent = "Pause";
    pauseButton.setAttribute("aria-pressed", "false");
    keepAwake();
  }

  function pause() {
    tick();
    running = false;
    root.classList.add("guide--paused");
    status.textContent = "Paused. Take all the time you need.";
    pauseButton.textContent = "Resume";
    pauseButton.setAttribute("aria-pressed", "true");
    letSleep();
  }

  function finish() {
    running = false;
    finished = true;
    root.classList.add("guide--finished", "guide--paused");
    cue.textContent = "That's the end of the guide. Take your time before you get up.";
    status.textContent = "Finished.";
    pauseButton.hidden = true;
    stopButton.hidden = true; // nothing left to stop: the one way on is to note how it went
    finishButton.hidden = false;
    finishButton.textContent = "Note how it went";
    letSleep();
  }

  pauseButton.addEventListener("click", function (event) {
    event.preventDefault();
    if (finished) return;
    if (running) pause(); else start();
  });

  form.addEventListener("submit", function () {
    tick();
    running = false;
    letSleep();
    elapsedField.value = String(Math.round(elapsed / 1000));
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && running) keepAwake();
  });
  window.addEventListener("pagehide", letSleep);
  if (motion && motion.addEventListener) motion.addEventListener("change", applyMotion);

  // Begin: the cue in large text, the list folded away (still there to read), the tone offered.
  applyMotion();
  now.hidden = false;
  if (list) list.open = false;
  finishButton.hidden = true;
  root.classList.add("guide--running");
  render();
  start();
  window.setInterval(tick, 250);
})();
