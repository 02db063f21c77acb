/* playbook unlock: every page of an encrypted build is this shell around its sealed text. It
   asks for the passphrase once per tab, tries it on each keyslot of the lock (PBKDF2-HMAC-SHA256,
   then AES-256-GCM unwrapping the site key), derives the keys from the site key as the build did
   (HKDF), checks them against the lock's check value, opens the page with AES-256-GCM and shows
   it with a Lock button. WebCrypto only, no library. */
(function () {
  "use strict";
  var lock = window.PLAYBOOK_LOCK;
  var KEY_NAME = "playbook-key-" + lock.check;
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

  /* The site key (the master key the tab keeps) out of the first keyslot `passphrase` opens:
     as the build, one PBKDF2-HMAC-SHA256 block is the AES-256-GCM key that unwraps it. Slots are
     tried one after the other (each costs its rounds); none opening is a wrong passphrase. */
  function derive(passphrase) {
    var slots = lock.slots || [];
    function attempt(at) {
      if (at >= slots.length) return Promise.reject(new Error(WRONG_KEY));
      var slot = slots[at];
      return subtle.importKey("raw", encode(passphrase), "PBKDF2", false, ["deriveKey"])
        .then(function (base) {
          return subtle.deriveKey({
            name: "PBKDF2", hash: "SHA-256", salt: fromHex(slot.salt), iterations: slot.iterations
          }, base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
        })
        .then(function (kek) {
          var wrapped = fromBase64(slot.wrapped);
          return subtle.decrypt({
            name: "AES-GCM", iv: wrapped.slice(0, 12), additionalData: encode("playbook keyslot")
          }, kek, wrapped.slice(12));
        })
        .catch(function () { return attempt(at + 1); });
    }
    return attempt(0);
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

  var WRONG_KEY = "wrong key";
  var DAMAGED = "damaged";
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

  /* Opens this page with `master`, kept in the tab when `keep` (and on the device when `keep`
     is "device": the lock allows it and the owner asked). Fails with WRONG_KEY when
     the check value differs, else with DAMAGED when the page does not open: changed after it
     was published, or another page's text under this name. The key is right then, so it is
     kept, and the other pages open with it. */
  function unlock(master, keep) {
    var opened = keysFrom(master).then(function (keys) {
      return checkOf(keys.mac).then(function (check) {
        if (check !== lock.check) throw new Error(WRONG_KEY);
        key = keys.aes;
        if (keep) {
          try { sessionStorage.setItem(KEY_NAME, toBase64(master)); } catch (e) { /* asked again next page */ }
        }
        if (keep === "device" && lock.remember) {
          try { localStorage.setItem(KEY_NAME, toBase64(master)); } catch (e) { /* asked next visit */ }
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
      addLockButton();
    });
  }

  /* Forgets the key in this tab (and on this device, if it was remembered) and reloads: the
     form shows again, and so it does on every other page. */
  function forget() {
    try { sessionStorage.removeItem(KEY_NAME); } catch (e) { /* nothing kept */ }
    try { localStorage.removeItem(KEY_NAME); } catch (e) { /* nothing kept */ }
  }

  /* A Lock button over the opened page, whatever the theme: fixed at the top right, styled
     here, a real button (reached with Tab), hidden while printing. */
  function addLockButton() {
    if (!document.body) {
      document.addEventListener("DOMContentLoaded", addLockButton, { once: true });
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.id = "playbook-lock";
    button.textContent = "Lock";
    button.title = "Forget the passphrase in this browser and lock the playbook";
    var look = {
      position: "fixed", top: "0.5rem", right: "0.5rem", zIndex: "2147483647",
      font: "600 14px/1.2 system-ui, sans-serif", padding: "0.35rem 0.8rem",
      color: "#ffffff", background: "#1f2328", border: "2px solid #ffffff",
      borderRadius: "0.4rem", boxShadow: "0 1px 4px rgba(0, 0, 0, 0.4)", cursor: "pointer"
    };
    Object.keys(look).forEach(function (name) { button.style[name] = look[name]; });
    button.addEventListener("click", function () {
      forget();
      location.reload();
    });
    window.addEventListener("beforeprint", function () { button.style.display = "none"; });
    window.addEventListener("afterprint", function () { button.style.display = ""; });
    document.body.appendChild(button);
  }

  /* With `remember: true` in the lock, the form offers to keep the key on this device, and
     says what that risks. */
  var rememberBox = null;
  function offerToRemember() {
    if (!lock.remember || !form) return;
    var line = document.createElement("p");
    var label = document.createElement("label");
    rememberBox = document.createElement("input");
    rememberBox.type = "checkbox";
    rememberBox.id = "playbook-remember";
    label.appendChild(rememberBox);
    label.appendChild(document.createTextNode(" Remember on this device"));
    var risk = document.createElement("small");
    risk.id = "playbook-remember-risk";
    risk.textContent = " (anyone who can use this browser profile can open the playbook until you press Lock)";
    rememberBox.setAttribute("aria-describedby", risk.id);
    line.appendChild(label);
    line.appendChild(risk);
    var button = form.querySelector("button, [type=submit]");
    form.insertBefore(line, button || error);
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
  offerToRemember();
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "Opening…";
    var keep = rememberBox && rememberBox.checked ? "device" : "tab";
    derive(input.value)
      .then(function (master) { return unlock(master, keep); })
      .catch(function (failure) {
        if (failure && failure.message === DAMAGED) return showDamaged();
        ask("Wrong passphrase: the playbook did not open with it.");
        input.select();
      });
  });
  var saved = null;
  try { saved = sessionStorage.getItem(KEY_NAME); } catch (e) { saved = null; }
  if (!saved) {
    // Remembered on this device: only while the lock still allows it.
    try {
      if (lock.remember) {
        saved = localStorage.getItem(KEY_NAME);
        if (saved) sessionStorage.setItem(KEY_NAME, saved);
      } else {
        localStorage.removeItem(KEY_NAME);
      }
    } catch (e) { /* not kept */ }
  }
  if (saved) {
    Promise.resolve(saved).then(function (text) {
      return unlock(fromBase64(text).buffer, false);
    }).catch(function (failure) {
      if (failure && failure.message === DAMAGED) return showDamaged();
      // Not this lock's key (the site was rekeyed since): asked for anew.
      forget();
      ask();
    });
  } else {
    ask();
  }
})();
