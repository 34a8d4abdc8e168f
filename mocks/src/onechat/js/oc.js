/*
 * OC: the chatspec mock's reference copy of the OneChat mini-app library (seed 004, "Mini App
 * Library Functions"). Plain JavaScript, no build step, no external assets.
 *
 * In OneChat the app hosting a mini app answers these functions. In a browser the mock stands
 * in for it: `oc.js?jid=<jid>` is this library for that user, served with a new active session
 * of the user and its vCard (specs/src/onechat/NOTES.md O16); the contacts and the relays go to
 * the mock's own JSON routes under onechat/lib/ (O15). Readings: NOTES.md O21 to O23.
 */
(function (global) {
  'use strict';

  // Built in by the mock: {"sessionId", "vCard": {"jid", "userName", "avatar"}}, or null.
  var CONTEXT = /*OC_CONTEXT*/null;

  var script = document.currentScript;
  var server = script && script.src ? new URL('.', script.src).href : new URL('/', location.href).href;

  function user(fn) {
    if (!CONTEXT) {
      throw new Error('OC.' + fn + ': no OneChat user: load the library as oc.js?jid=<the user\'s jid>');
    }
    return CONTEXT;
  }

  // A JSON call to the server: {http, body}; rejects only when the server cannot be reached.
  function call(path, body) {
    return fetch(server + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(
        function (json) { return { http: r.status, body: json }; },
        function () { return { http: r.status, body: null }; });
    });
  }

  // What `fail` receives: the server's error reply as a JSON string (NOTES.md O23).
  function failure(reply) {
    if (reply && reply.body && reply.body.status === 'Error') return JSON.stringify(reply.body);
    return JSON.stringify({ status: 'Error', description: 'HTTP ' + (reply ? reply.http : 0) });
  }

  function unreachable(e) {
    return JSON.stringify({ status: 'Error', description: 'The OneChat server cannot be reached: ' + e });
  }

  function given(value) {
    return value === undefined ? null : value;
  }

  /** OC.user.getSessionID(): the user's active session ID. */
  function getSessionID() {
    return user('user.getSessionID').sessionId;
  }

  /** OC.user.getVCard(): '{"jid":"user@domain.tld","userName":"Your username","avatar":"..."}' */
  function getVCard() {
    return JSON.stringify(user('user.getVCard').vCard);
  }

  /** OC.user.deviceInfo(): '{"device":"iPhone 7","os":"iOS 11.0","screenWidth":"","screenHeight":""}' */
  function deviceInfo() {
    var ua = navigator.userAgent;
    var device = 'Desktop';
    var os = navigator.platform || 'unknown';
    var m;
    if ((m = /\(iPhone[^)]*OS (\d+)_(\d+)/.exec(ua))) {
      device = 'iPhone';
      os = 'iOS ' + m[1] + '.' + m[2];
    } else if ((m = /Android ([\d.]+);\s*([^;)]+?)(?: Build\/[^;)]*)?\)/.exec(ua))) {
      device = m[2];
      os = 'Android ' + m[1];
    } else if (/Windows NT/.test(ua)) {
      os = 'Windows';
    } else if (/Mac OS X/.test(ua)) {
      os = 'macOS';
    } else if (/Linux/.test(ua)) {
      os = 'Linux';
    }
    return JSON.stringify({ device: device, os: os, screenWidth: String(screen.width), screenHeight: String(screen.height) });
  }

  /** OC.user.selectContacts({success, maxNumberOfSelection}): shows the contacts selector. */
  function selectContacts(options) {
    options = options || {};
    // "maxNumberOfSelection (optional): 1, 2, 3..., -1 for unlimited (default)"
    var max = Number(options.maxNumberOfSelection);
    if (!(max >= 1 && Math.floor(max) === max)) max = -1;
    var overlay = document.createElement('div');
    overlay.setAttribute('data-oc-selector', '');
    overlay.setAttribute('role', 'dialog');
    overlay.style.cssText = 'position: fixed; inset: 0; background: rgba(20, 30, 40, 0.45); display: flex; ' +
      'align-items: center; justify-content: center; z-index: 2147483647; font: 14px sans-serif;';
    var box = document.createElement('div');
    box.style.cssText = 'background: #fff; color: #1d2733; padding: 16px; border-radius: 6px; min-width: 260px;';
    var heading = document.createElement('h2');
    heading.textContent = 'Select contacts';
    heading.style.cssText = 'font-size: 16px; margin: 0 0 8px;';
    var hint = document.createElement('p');
    hint.setAttribute('data-oc-hint', '');
    hint.textContent = max === -1 ? 'Select any number of contacts.' : 'Select up to ' + max + '.';
    var list = document.createElement('ul');
    list.style.cssText = 'list-style: none; padding: 0; margin: 8px 0;';
    var buttons = document.createElement('div');
    buttons.style.cssText = 'display: flex; gap: 8px; justify-content: flex-end;';
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    cancel.setAttribute('data-oc-action', 'cancel');
    var ok = document.createElement('button');
    ok.type = 'button';
    ok.textContent = 'Done';
    ok.setAttribute('data-oc-action', 'done');
    buttons.appendChild(cancel);
    buttons.appendChild(ok);
    box.appendChild(heading);
    box.appendChild(hint);
    box.appendChild(list);
    box.appendChild(buttons);
    overlay.appendChild(box);
    (document.body || document.documentElement).appendChild(overlay);

    var picked = [];
    var finished = false;
    function close() {
      finished = true;
      if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
    }
    function done(selected) {
      close();
      if (typeof options.success === 'function') options.success(JSON.stringify(selected));
    }
    cancel.addEventListener('click', function () {
      done([]); // cancel
    });
    ok.addEventListener('click', function () {
      done(picked.slice());
    });

    function show(contacts) {
      if (finished) return;
      contacts.forEach(function (contact) {
        var item = document.createElement('li');
        var label = document.createElement('label');
        var input = document.createElement('input');
        input.type = 'checkbox';
        input.value = contact.jid;
        input.setAttribute('data-oc-contact', contact.jid);
        input.addEventListener('change', function () {
          var at = picked.indexOf(contact.jid);
          if (input.checked) {
            if (max !== -1 && picked.length >= max) {
              input.checked = false;
              hint.textContent = 'You can select up to ' + max + '.';
              return;
            }
            if (at === -1) picked.push(contact.jid);
          } else if (at !== -1) {
            picked.splice(at, 1);
          }
        });
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + contact.name + ' '));
        var small = document.createElement('small');
        small.textContent = contact.jid;
        label.appendChild(small);
        item.appendChild(label);
        list.appendChild(item);
      });
      overlay.setAttribute('data-oc-ready', '');
    }

    call('onechat/lib/contacts', { sessionId: getSessionID() }).then(function (reply) {
      if (reply.http === 200 && reply.body && Array.isArray(reply.body.contacts)) {
        show(reply.body.contacts);
      } else {
        hint.textContent = 'The contacts cannot be loaded: ' + failure(reply);
        show([]);
      }
    }, function (e) {
      hint.textContent = 'The contacts cannot be loaded: ' + e;
      show([]);
    });
  }

  /** OC.message.single.relay({recipient, textMessage, success, fail}) */
  function singleRelay(options) {
    options = options || {};
    var fail = typeof options.fail === 'function' ? options.fail : function () {};
    var session;
    try {
      session = getSessionID();
    } catch (e) {
      fail(JSON.stringify({ status: 'Error', description: e.message }));
      return;
    }
    call('onechat/lib/relay/single', {
      sessionId: session,
      recipient: given(options.recipient),
      textMessage: given(options.textMessage)
    }).then(function (reply) {
      if (reply.http === 200 && reply.body && reply.body.status === 'Success') {
        if (typeof options.success === 'function') options.success();
      } else {
        fail(failure(reply));
      }
    }, function (e) {
      fail(unreachable(e));
    });
  }

  /** OC.message.group.relay({groupJid, invitees, textMessage, success, fail}) */
  function groupRelay(options) {
    options = options || {};
    var fail = typeof options.fail === 'function' ? options.fail : function () {};
    var session;
    try {
      session = getSessionID();
    } catch (e) {
      fail(JSON.stringify({ status: 'Error', description: e.message }));
      return;
    }
    call('onechat/lib/relay/group', {
      sessionId: session,
      groupJid: given(options.groupJid),
      invitees: given(options.invitees),
      textMessage: given(options.textMessage)
    }).then(function (reply) {
      if (reply.http === 200 && reply.body && reply.body.status === 'Success') {
        if (typeof options.success === 'function') options.success(reply.body.groupJid);
      } else {
        fail(failure(reply));
      }
    }, function (e) {
      fail(unreachable(e));
    });
  }

  global.OC = {
    user: {
      getSessionID: getSessionID,
      deviceInfo: deviceInfo,
      getVCard: getVCard,
      selectContacts: selectContacts
    },
    message: {
      single: { relay: singleRelay },
      group: { relay: groupRelay }
    }
  };
})(window);
