/* playbook unlock: every page of an encrypted build is this shell around its sealed text. It
   asks for the passphrase once per tab, derives the keys as the build did (PBKDF2-HMAC-SHA256,
   then HKDF), checks them against the lock's check value, opens the page with AES-256-GCM and
   shows it. WebCrypto only, no library. */
(function () {
  "use strict";
  var lock = window.PLAYBOOK_LOCK;
  var KEY_NAME = "playbook-key-" + lock.salt;
  var subtle = window.crypto && window.crypto.subtle;
  var form = document.getElementById("unlock");
  var input = document.getElementById("passphrase");
  var error = document.getElementById("unlock-error");
  var sealed = document.getElementById("sealed").textContent.trim();
  /* A shared file's lock names what its text is sealed under; a site's page goes by its
     file name. */
  var NAME = lock.name || pageName();

  /* The name this page was published under, which its ciphertext is bound to. An encrypted
     build puts every page in the output's root folder, so the name is the last part of the
     path, wherever the site lives (file://, any sub-path of a host); "" is the folder's
     index.html, and a host that serves a.html as /a leaves out the .html. */
  function pageName() {
    var path = location.pathname;
    var last = path.slice(path.lastIndexOf("/") + 1);
    try { last = decodeURIComponent(last); } catch (e) { /* kept as it is */ }
    if (!last) return "index.html";
    return /\.html$/.test(last) ? last : last + ".html";
  }

  function encode(text) { return new TextEncoder().encode(text); }
  function fromHex(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }
  function toHex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (byte) {
      return (byte < 16 ? "0" : "") + byte.toString(16);
    }).join("");
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

  /* As the build: one PBKDF2-HMAC-SHA256 block, the master key that the tab keeps. */
  function derive(passphrase) {
    return subtle.importKey("raw", encode(passphrase), "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return subtle.deriveBits({
          name: "PBKDF2", hash: "SHA-256", salt: fromHex(lock.salt), iterations: lock.iterations
        }, base, 256);
      });
  }
  /* The master key expanded by HKDF, as the build does: the AES-256-GCM key that opens pages,
     and the HMAC key of the check value. */
  function keysFrom(master) {
    return subtle.importKey("raw", master, "HKDF", false, ["deriveKey"]).then(function (base) {
      function expand(label, algorithm, usage) {
        return subtle.deriveKey({
          name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encode(label)
        }, base, algorithm, false, [usage]);
      }
      return Promise.all([
        expand("playbook aes-256-gcm", { name: "AES-GCM", length: 256 }, "decrypt"),
        expand("playbook hmac-sha256", { name: "HMAC", hash: "SHA-256", length: 256 }, "sign")
      ]);
    }).then(function (keys) { return { aes: keys[0], mac: keys[1] }; });
  }
  /* The build's check value: HMAC-SHA256 of "check" after its length (8 bytes, little-endian),
     the first 16 bytes in hex. It tells a wrong passphrase from a page that does not open. */
  function checkOf(macKey) {
    var word = encode("check");
    var data = new Uint8Array(8 + word.length);
    data[0] = word.length;
    data.set(word, 8);
    return subtle.sign("HMAC", macKey, data).then(function (mac) {
      return toHex(mac.slice(0, 16));
    });
  }
  /* `text` opened as the file published as `name`, the associated data it was sealed with. */
  function open(key, text, name) {
    var data = fromBase64(text.trim());
    return subtle.decrypt({
      name: "AES-GCM", iv: data.slice(0, 12), additionalData: encode(name)
    }, key, data.slice(12))
      .then(function (plain) { return new TextDecoder().decode(plain); });
  }

  var key = null;
  /* For scripts of the opened page: search opens its index, `name` being the index's file
     (a theme's own search.js from before names were bound gives none: it is the index). */
  window.playbookUnseal = function (text, name) {
    return key ? open(key, text, name || "search-index.js") : Promise.reject(new Error("locked"));
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

  var WRONG_KEY = "wrong key";
  var DAMAGED = "damaged";
  /* Opens this page with `master`, kept in the tab when `remember`. Fails with WRONG_KEY when
     the check value differs, else with DAMAGED when the page does not open: changed after it
     was published, or another page's text under this name. The key is right then, so it is
     kept, and the other pages open with it. */
  function unlock(master, remember) {
    var opened = keysFrom(master).then(function (keys) {
      return checkOf(keys.mac).then(function (check) {
        if (check !== lock.check) throw new Error(WRONG_KEY);
        key = keys.aes;
        if (remember) {
          try { sessionStorage.setItem(KEY_NAME, toBase64(master)); } catch (e) { /* asked again next page */ }
        }
        return open(keys.aes, sealed, NAME).catch(function () {
          // A host answers a missing page with 404.html, whatever the path asked for.
          if (NAME === "404.html") throw new Error(DAMAGED);
          return open(keys.aes, sealed, "404.html").catch(function () { throw new Error(DAMAGED); });
        });
      });
    });
    return Promise.all([opened, loaded()]).then(function (done) {
      document.open();
      document.write(done[0]);
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

  /* Nothing to type would help: the form shows the message alone, and a way on. */
  function showDamaged() {
    form.hidden = false;
    Array.prototype.forEach.call(form.children, function (child) { child.hidden = child !== error; });
    error.textContent = "This page is damaged or was changed after it was published, so it does not open. ";
    if (NAME !== "index.html") {
      var home = document.createElement("a");
      home.href = "index.html";
      home.textContent = "Open the dashboard";
      error.appendChild(home);
    }
  }

  if (!subtle) {
    ask("This browser cannot decrypt here: open the playbook over https:// or as a local file.");
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "Opening…";
    derive(input.value)
      .then(function (master) { return unlock(master, true); })
      .catch(function (failure) {
        if (failure && failure.message === DAMAGED) return showDamaged();
        ask("Wrong passphrase: the playbook did not open with it.");
        input.select();
      });
  });
  var saved = null;
  try { saved = sessionStorage.getItem(KEY_NAME); } catch (e) { saved = null; }
  if (saved) {
    Promise.resolve(saved).then(function (text) {
      return unlock(fromBase64(text).buffer, false);
    }).catch(function (failure) {
      if (failure && failure.message === DAMAGED) return showDamaged();
      // Not this lock's key (the site was encrypted again since): asked for anew.
      try { sessionStorage.removeItem(KEY_NAME); } catch (e) { /* nothing kept */ }
      ask();
    });
  } else {
    ask();
  }
})();
