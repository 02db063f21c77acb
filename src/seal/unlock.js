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

  function derive(passphrase) {
    return subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return subtle.deriveBits({
          name: "PBKDF2", hash: "SHA-256", salt: fromHex(lock.salt), iterations: lock.iterations
        }, base, 512);
      });
  }
  function importKey(bits) {
    return subtle.importKey("raw", bits.slice(0, 32), { name: "AES-GCM" }, false, ["decrypt"]);
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

  function unlock(bits, remember) {
    var imported = importKey(bits);
    return imported.then(function (k) { return open(k, sealed); }).then(function (html) {
      key = imported;
      if (remember) {
        try { sessionStorage.setItem(KEY_NAME, toBase64(bits)); } catch (e) { /* asked again next page */ }
      }
      document.open();
      document.write(html);
      document.close();
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
