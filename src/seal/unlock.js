/* playbook unlock: every page of an encrypted build is this shell around its sealed text. It
   asks for the passphrase once per tab, derives the key as the build did (PBKDF2-HMAC-SHA256),
   opens the page with AES-256-GCM and shows it. WebCrypto only, no library. */
(function () {
  "use strict";
  var lock = window.PLAYBOOK_LOCK;
  var KEY_NAME = "playbook-key-" + lock.salt;
  var subtle = window.crypto && window.crypto.subtle;
  var form = document.getElementById("unlock");
  var input = document.getElementById("passphrase");
  var error = document.getElementById("unlock-error");
  var sealed = document.getElementById("sealed").textContent.trim();

  function fromHex(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }
  function fromBase64(text) {
    var binary = atob(text);
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }
  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }

  /* As the build: one PBKDF2-HMAC-SHA256 block, expanded by HKDF into the AES-256-GCM key. */
  function derive(passphrase) {
    var encode = function (text) { return new TextEncoder().encode(text); };
    return subtle.importKey("raw", encode(passphrase), "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return subtle.deriveBits({
          name: "PBKDF2", hash: "SHA-256", salt: fromHex(lock.salt), iterations: lock.iterations
        }, base, 256);
      })
      .then(function (master) { return subtle.importKey("raw", master, "HKDF", false, ["deriveBits"]); })
      .then(function (master) {
        return subtle.deriveBits({
          name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encode("playbook aes-256-gcm")
        }, master, 256);
      });
  }
  function importKey(bits) {
    return subtle.importKey("raw", bits, { name: "AES-GCM" }, false, ["decrypt"]);
  }
  function open(key, text) {
    var data = fromBase64(text.trim());
    return subtle.decrypt({ name: "AES-GCM", iv: data.slice(0, 12) }, key, data.slice(12))
      .then(function (plain) { return new TextDecoder().decode(plain); });
  }

  var key = null;
  /* For scripts of the opened page (search opens its index with it). */
  window.playbookUnseal = function (text) {
    return key ? key.then(function (k) { return open(k, text); }) : Promise.reject(new Error("locked"));
  };

  /* document.open() does nothing while the shell's own parser is still running this script,
     and document.write() then adds the page to the shell instead of replacing it: with a saved
     key the page is decrypted that early. So the page is written once the shell has loaded. */
  function loaded() {
    return new Promise(function (resolve) {
      if (document.readyState === "complete") resolve();
      else window.addEventListener("load", function () { resolve(); }, { once: true });
    });
  }

  function unlock(bits, remember) {
    var imported = importKey(bits);
    var opened = imported.then(function (k) { return open(k, sealed); });
    return Promise.all([opened, loaded()]).then(function (done) {
      var html = done[0];
      key = imported;
      if (remember) {
        try { sessionStorage.setItem(KEY_NAME, toBase64(bits)); } catch (e) { /* asked again next page */ }
      }
      document.open();
      document.write(html);
      document.close();
      keepSearchesFromTheHost();
    });
  }

  /* A search box sends its words in the URL's query, which reaches the host and its logs;
     here they go in the fragment, which never leaves the browser. One listener on the
     document: the written page may still be parsing when this runs. */
  function keepSearchesFromTheHost() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form.site-search")) return;
      event.preventDefault();
      var words = form.querySelector("input[name=q]");
      location.href = form.getAttribute("action") + "#q=" + encodeURIComponent(words ? words.value : "");
    });
  }

  function ask(message) {
    form.hidden = false;
    error.textContent = message || "";
    input.focus();
  }

  if (!subtle) {
    ask("This browser cannot decrypt here: open the playbook over https:// or as a local file.");
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "Opening…";
    derive(input.value)
      .then(function (bits) { return unlock(bits, true); })
      .catch(function () {
        ask("Wrong passphrase: the playbook did not open with it.");
        input.select();
      });
  });
  var saved = null;
  try { saved = sessionStorage.getItem(KEY_NAME); } catch (e) { saved = null; }
  if (saved) {
    unlock(fromBase64(saved).buffer, false).catch(function () {
      try { sessionStorage.removeItem(KEY_NAME); } catch (e) { /* nothing kept */ }
      ask();
    });
  } else {
    ask();
  }
})();
