/*
 * ocwp: the chatspec mock's reference copy of the OneChat chat plugin (seed 004, "Chat Plugin
 * Javascript Library Functions"). Plain JavaScript, no build step, no external assets.
 *
 * It talks to the server it was loaded from (or the `server` of `<confPath>config.json`)
 * through the mock's own JSON routes under onechat/lib/ (specs/src/onechat/NOTES.md O15).
 * What the seed leaves open and how this copy reads it is in NOTES.md O17 to O20.
 */
(function (global) {
  'use strict';

  var IDLE = 'XMPP_CONNECTION_IDLE';
  var DISCONNECTED = 'XMPP_CONNECTION_DISCONNECTED';
  var CONNECTED = 'XMPP_CONNECTION_CONNECTED';
  var READY = 'XMPP_CONNECTION_CONNECTED_READY';
  var CONNECTING = 'XMPP_CONNECTION_CONNECTING';
  var AUTHFAIL = 'XMPP_CONNECTION_AUTHFAIL';
  var CONNFAIL = 'XMPP_CONNECTION_CONNFAIL';
  var ERROR = 'XMPP_CONNECTION_ERROR';

  // The plugin's own strings; the locale file (`<locale.path><locale.default>.json`) overrides
  // them: "will use generic name if empty (configure in the locale .json)".
  var STRINGS = {
    title: 'OneChat',
    groupChatName: 'Group chat',
    members: 'Members'
  };
  STRINGS[IDLE] = 'Not connected';
  STRINGS[DISCONNECTED] = 'Disconnected';
  STRINGS[CONNECTED] = 'Connected';
  STRINGS[READY] = 'Online';
  STRINGS[CONNECTING] = 'Connecting';
  STRINGS[AUTHFAIL] = 'Wrong user name or password';
  STRINGS[CONNFAIL] = 'The server cannot be reached';
  STRINGS[ERROR] = 'Error';

  // "chatBox No Object" and its default values, as the seed lists them.
  var CHAT_BOX = {
    marginLeft: 5,
    marginRight: 5,
    maxHeight: 600,
    maxWidth: 600,
    minHeight: 100,
    minWidth: 250,
    paddingTop: 80,
    outerPaddingLeft: '350px',
    outerPaddingRight: 0
  };

  // "will use default group avatar if empty"
  var GROUP_AVATAR = 'data:image/svg+xml;base64,' + btoa(
    "<svg xmlns='http://www.w3.org/2000/svg' width='32' height='32'><rect width='32' height='32' rx='16' fill='#6b7f95'/>" +
    "<circle cx='12' cy='13' r='4' fill='#fff'/><circle cx='20' cy='13' r='4' fill='#fff'/>" +
    "<rect x='6' y='19' width='20' height='7' rx='3' fill='#fff'/></svg>");

  var script = document.currentScript;
  var loadedFrom = script && script.src ? new URL('.', script.src).href : new URL('/', location.href).href;

  var state = {
    status: IDLE,
    subscribers: [],
    server: loadedFrom,
    strings: copy(STRINGS, {}),
    chatBox: copy(CHAT_BOX, {}),
    loading: Promise.resolve(),
    generation: 0,
    token: null,
    jid: null,
    events: null,
    root: null
  };

  function copy(from, to) {
    for (var k in from) {
      if (Object.prototype.hasOwnProperty.call(from, k)) to[k] = from[k];
    }
    return to;
  }

  function px(value) {
    return typeof value === 'number' ? value + 'px' : String(value);
  }

  function withSlash(path) {
    path = String(path);
    return path === '' || path.charAt(path.length - 1) === '/' ? path : path + '/';
  }

  function setStatus(next) {
    if (state.status === next) return;
    state.status = next;
    renderStatus();
    var subs = state.subscribers.slice();
    for (var i = 0; i < subs.length; i++) {
      try {
        subs[i](next);
      } catch (e) {
        console.error('ocwp: a connection status subscriber threw', e);
      }
    }
  }

  // A JSON call to the server: {http, body}; rejects only when the server cannot be reached.
  function call(path, body) {
    return fetch(state.server + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(
        function (json) { return { http: r.status, body: json }; },
        function () { return { http: r.status, body: null }; });
    });
  }

  // A JSON file relative to the page; null when it is missing or not JSON.
  function loadJson(url) {
    return fetch(url).then(function (r) {
      return r.ok ? r.json() : null;
    }).catch(function () { return null; });
  }

  function describe(reply) {
    return reply.body && reply.body.description ? reply.body.description : 'HTTP ' + reply.http;
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(container) {
    var root = el('div', 'ocwp');
    root.setAttribute('data-ocwp', '');
    root.style.cssText = 'font: 14px sans-serif; color: #1d2733;';
    var bar = el('div', 'ocwp-bar');
    bar.style.cssText = 'display: flex; gap: 8px; align-items: center; padding: 6px 10px; background: #e8eef5;';
    var title = el('strong', 'ocwp-title', state.strings.title);
    var status = el('span', 'ocwp-status');
    status.setAttribute('data-ocwp-status-label', '');
    bar.appendChild(title);
    bar.appendChild(status);
    var chats = el('div', 'ocwp-chats');
    chats.setAttribute('data-ocwp-chats', '');
    chats.style.cssText = 'display: flex; flex-wrap: wrap; align-items: flex-start;';
    chats.style.paddingTop = px(state.chatBox.paddingTop);
    chats.style.paddingLeft = px(state.chatBox.outerPaddingLeft);
    chats.style.paddingRight = px(state.chatBox.outerPaddingRight);
    root.appendChild(bar);
    root.appendChild(chats);
    if (state.root && state.root.parentNode) state.root.parentNode.removeChild(state.root);
    container.appendChild(root);
    state.root = root;
    renderStatus();
  }

  function renderStatus() {
    if (!state.root) return;
    state.root.setAttribute('data-ocwp-status', state.status);
    var label = state.root.querySelector('[data-ocwp-status-label]');
    if (label) label.textContent = state.strings[state.status] || state.status;
    var title = state.root.querySelector('.ocwp-title');
    if (title) title.textContent = state.strings.title;
  }

  // Opens (or brings back) the chat box of a group.
  function openChat(group) {
    if (!state.root) return;
    var chats = state.root.querySelector('[data-ocwp-chats]');
    var boxes = chats.querySelectorAll('[data-ocwp-chat]');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].getAttribute('data-ocwp-chat') === group.jid) chats.removeChild(boxes[i]);
    }
    var box = el('section', 'ocwp-chatbox');
    box.setAttribute('data-ocwp-chat', group.jid);
    var s = state.chatBox;
    box.style.cssText = 'border: 1px solid #9aa9b8; border-radius: 4px; background: #fff; box-sizing: border-box; overflow: auto;';
    box.style.marginLeft = px(s.marginLeft);
    box.style.marginRight = px(s.marginRight);
    box.style.minWidth = px(s.minWidth);
    box.style.maxWidth = px(s.maxWidth);
    box.style.minHeight = px(s.minHeight);
    box.style.maxHeight = px(s.maxHeight);
    var head = el('header', 'ocwp-chatbox-head');
    head.style.cssText = 'display: flex; gap: 6px; align-items: center; padding: 4px 8px; background: #f3f6f9;';
    var avatar = el('img', 'ocwp-chatbox-avatar');
    avatar.width = 24;
    avatar.height = 24;
    avatar.alt = '';
    avatar.src = group.avatar || GROUP_AVATAR;
    head.appendChild(avatar);
    head.appendChild(el('span', 'ocwp-chatbox-name', group.name || state.strings.groupChatName));
    box.appendChild(head);
    var list = el('ul', 'ocwp-chatbox-members');
    list.setAttribute('aria-label', state.strings.members);
    for (var m = 0; m < group.members.length; m++) {
      var item = el('li', null, group.members[m]);
      item.setAttribute('data-ocwp-member', group.members[m]);
      list.appendChild(item);
    }
    box.appendChild(list);
    chats.appendChild(box);
  }

  function closeEvents() {
    if (state.events) {
      state.events.close();
      state.events = null;
    }
  }

  // The connection: an event stream whose `ready` event means CONNECTED_READY, and whose end
  // (a logout elsewhere, a server that stops) means DISCONNECTED.
  function connectEvents(generation) {
    return new Promise(function (resolve) {
      var events = new EventSource(state.server + 'onechat/lib/events?token=' + encodeURIComponent(state.token));
      state.events = events;
      events.addEventListener('ready', function () {
        if (generation === state.generation) setStatus(READY);
        resolve(state.status);
      });
      events.onerror = function () {
        events.close();
        if (state.events === events) {
          state.events = null;
          state.token = null;
          state.jid = null;
          if (generation === state.generation) setStatus(DISCONNECTED);
        }
        resolve(state.status);
      };
    });
  }

  /** ocwp.init({confPath, locale, containerElement, chatBox, login}): renders the plugin. */
  function init(options) {
    options = options || {};
    var container = options.containerElement;
    if (!container || typeof container.appendChild !== 'function') {
      throw new TypeError('ocwp.init: containerElement is mandatory: the element the plugin is rendered into');
    }
    var confPath = withSlash(options.confPath === undefined || options.confPath === null ? 'config/' : options.confPath);
    var locale = options.locale || {};
    var localePath = withSlash(locale.path === undefined || locale.path === null ? 'locale/' : locale.path);
    var localeName = locale['default'] === undefined || locale['default'] === null ? 'enGB' : String(locale['default']);
    // The seed's table says chatBox, its example chatbox: either is read (NOTES.md O19).
    state.chatBox = copy(options.chatBox || options.chatbox || {}, copy(CHAT_BOX, {}));
    state.strings = copy(STRINGS, {});
    render(container);
    state.loading = Promise.all([
      loadJson(confPath + 'config.json'),
      loadJson(localePath + localeName + '.json')
    ]).then(function (files) {
      var config = files[0];
      var strings = files[1];
      if (config && typeof config.server === 'string' && config.server) {
        state.server = withSlash(new URL(config.server, location.href).href);
      }
      if (strings && typeof strings === 'object') copy(strings, state.strings);
      renderStatus();
    });
    // "login No Object Provide credentials if intend to login upon init"
    if (options.login && typeof options.login === 'object') {
      login(options.login.usr, options.login.pw);
    }
  }

  /** ocwp.login(usr, pw): resolves to the status the attempt ended in. */
  function login(usr, pw) {
    var generation = ++state.generation;
    closeEvents();
    state.token = null;
    state.jid = null;
    setStatus(CONNECTING);
    return state.loading.then(function () {
      return call('onechat/lib/login', { usr: String(usr), pw: String(pw) });
    }).then(function (reply) {
      if (generation !== state.generation) return state.status;
      if (reply.http === 401) {
        setStatus(AUTHFAIL);
        return state.status;
      }
      if (reply.http !== 200 || !reply.body || reply.body.status !== 'Success' || !reply.body.token) {
        console.error('ocwp.login: ' + describe(reply));
        setStatus(ERROR);
        return state.status;
      }
      state.token = reply.body.token;
      state.jid = reply.body.jid;
      setStatus(CONNECTED);
      return connectEvents(generation);
    }, function () {
      if (generation === state.generation) setStatus(CONNFAIL);
      return state.status;
    });
  }

  /** ocwp.logout() */
  function logout() {
    var token = state.token;
    state.generation++;
    closeEvents();
    state.token = null;
    state.jid = null;
    if (token) call('onechat/lib/logout', { token: token }).catch(function () {});
    setStatus(DISCONNECTED);
  }

  /** ocwp.chat.group.create({members, chatName, chatAvatar, chatJid}): resolves to the jid. */
  function createGroup(options) {
    options = options || {};
    if (!state.token) {
      return Promise.reject(new Error('ocwp.chat.group.create: log in first (the status is ' + state.status + ')'));
    }
    if (!Array.isArray(options.members)) {
      return Promise.reject(new TypeError('ocwp.chat.group.create: members is mandatory: an array of jids'));
    }
    return call('onechat/lib/groups', {
      token: state.token,
      members: options.members,
      chatName: options.chatName ? String(options.chatName) : state.strings.groupChatName,
      chatAvatar: options.chatAvatar ? String(options.chatAvatar) : '',
      chatJid: options.chatJid ? String(options.chatJid) : ''
    }).then(function (reply) {
      if (reply.http !== 200 || !reply.body || reply.body.status !== 'Success') {
        throw new Error('ocwp.chat.group.create: ' + describe(reply));
      }
      openChat(reply.body);
      return reply.body.jid;
    });
  }

  /** ocwp.getConnectionStatus(): one of the eight XMPP_CONNECTION_* strings. */
  function getConnectionStatus() {
    return state.status;
  }

  /** ocwp.subscribeConnectionStatus(callback): called with every new status. */
  function subscribeConnectionStatus(callback) {
    if (typeof callback !== 'function') {
      throw new TypeError('ocwp.subscribeConnectionStatus: the callback must be a function');
    }
    state.subscribers.push(callback);
  }

  /** ocwp.unsubscribeConnectionStatus(): every callback subscribed so far stops. */
  function unsubscribeConnectionStatus() {
    state.subscribers = [];
  }

  global.ocwp = {
    init: init,
    login: login,
    logout: logout,
    chat: { group: { create: createGroup } },
    // The seed's table calls ocwp.chat.group.create "createNewGroupChat".
    createNewGroupChat: createGroup,
    getConnectionStatus: getConnectionStatus,
    subscribeConnectionStatus: subscribeConnectionStatus,
    unsubscribeConnectionStatus: unsubscribeConnectionStatus,
    // "ocwp.VERSION // 4474", "ocwp.BUILD_DATE // 20180619": a build number and a date.
    VERSION: 1,
    BUILD_DATE: 20261130
  };
})(window);
