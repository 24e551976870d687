/* The proof of work of a public form (redpark_platform.web.proof_of_work), solved in the browser.
 *
 * A form that needs one says where its challenge comes from:
 *   <form data-proof-of-work="/events-public/proof-of-work/challenge"> ... <input type="hidden" name="proof_of_work">
 * On submit the script fetches a fresh challenge, tries numbers from 0 until SHA-256(salt + number)
 * is the challenge, puts the ALTCHA payload (base64 of the JSON) in the hidden field and submits.
 * SHA-256 comes from crypto.subtle, which browsers offer only on HTTPS and localhost; on a plain-HTTP
 * intranet address the small implementation below does the same work. No third party is asked.
 */
(function () {
  "use strict";

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];

  // SHA-256 of an ASCII string (salts and numbers are ASCII), as lowercase hex.
  function sha256Hex(text) {
    var n = text.length, words = new Array(((n + 8) >> 6) * 16 + 16).fill(0), i;
    for (i = 0; i < n; i++) words[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
    words[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    var total = (((n + 8) >> 6) + 1) * 16;
    words[total - 1] = n * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var block = 0; block < total; block += 16) {
      for (i = 0; i < 16; i++) w[i] = words[block + i] | 0;
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h.map(function (v) { return ("0000000" + (v >>> 0).toString(16)).slice(-8); }).join("");
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  var BATCH = 1000; // digests in flight at once: crypto.subtle is asynchronous, one by one is slow

  async function solve(c) {
    var subtle = window.crypto && window.crypto.subtle, encoder = new TextEncoder();
    for (var start = 0; start <= c.maxnumber; start += BATCH) {
      var end = Math.min(start + BATCH - 1, c.maxnumber), found = -1, n;
      if (subtle) {
        var digests = [];
        for (n = start; n <= end; n++) digests.push(subtle.digest("SHA-256", encoder.encode(c.salt + n)));
        var done = await Promise.all(digests);
        for (n = 0; n < done.length; n++) if (hex(done[n]) === c.challenge) { found = start + n; break; }
      } else {
        for (n = start; n <= end; n++) if (sha256Hex(c.salt + n) === c.challenge) { found = n; break; }
        await new Promise(function (resolve) { setTimeout(resolve, 0); }); // let the page breathe
      }
      if (found >= 0) {
        return btoa(JSON.stringify({algorithm: c.algorithm, challenge: c.challenge, number: found,
                                    salt: c.salt, signature: c.signature}));
      }
    }
    throw new Error("no solution");
  }

  function attach(form) {
    var field = form.querySelector('input[name="proof_of_work"]');
    var status = form.querySelector("[data-proof-of-work-status]");
    var button = form.querySelector('button[type="submit"]');
    var solving = false;
    form.addEventListener("submit", async function (event) {
      if (form.dataset.proofOfWorkDone === "yes") return;
      event.preventDefault();
      if (solving) return;
      solving = true;
      if (button) button.disabled = true;
      if (status) { status.hidden = false; status.textContent = status.dataset.working || ""; }
      try {
        var answer = await fetch(form.dataset.proofOfWork, {cache: "no-store", credentials: "same-origin"});
        if (!answer.ok) throw new Error("challenge " + answer.status);
        field.value = await solve(await answer.json());
        form.dataset.proofOfWorkDone = "yes";
        form.submit();
      } catch (failure) {
        if (status) status.textContent = status.dataset.failed || String(failure);
        if (button) button.disabled = false;
        solving = false;
      }
    });
  }

  window.redparkProofOfWork = {sha256Hex: sha256Hex, solve: solve};
  document.querySelectorAll("form[data-proof-of-work]").forEach(attach);
})();
