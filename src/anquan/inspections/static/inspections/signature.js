/* A small signature pad: draw with finger, pen or mouse on a <canvas>, export a PNG Blob.
   Usage: const pad = AnquanSignaturePad(canvas); pad.isEmpty(); pad.clear(); await pad.toBlob(); */
(function () {
  "use strict";
  function SignaturePad(canvas) {
    const ctx = canvas.getContext("2d");
    let drawing = false;
    let empty = true;

    function resize() {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const rect = canvas.getBoundingClientRect();
      if (!rect.width) return;
      canvas.width = Math.round(rect.width * ratio);
      canvas.height = Math.round(rect.height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      paper();
      empty = true;
    }
    function paper() {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
      ctx.lineWidth = 2.4;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
    }
    function point(event) {
      const rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      empty = false;
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
      const p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 0.1, p.y + 0.1);
      ctx.stroke();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      const p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);
    resize();
    return {
      isEmpty: function () { return empty; },
      clear: function () { paper(); empty = true; },
      resize: resize,
      toBlob: function () {
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); });
      },
    };
  }
  window.AnquanSignaturePad = SignaturePad;
})();
