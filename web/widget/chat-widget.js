/*
 * Web chat widget for the back pain and insoles assistant.
 *
 * Embed with one script tag; the widget loads its stylesheet and the vendored
 * socket.io client from the same place as this file:
 *
 *   <script src="https://assistant.example/widget/chat-widget.js"
 *           data-socket-url="https://assistant.example"></script>
 *
 * or set `window.BackPainChatConfig = {socketUrl: "...", ...}` before it loads
 * (see DEFAULT_CONFIG for every option).
 *
 * Safety rules this file keeps:
 * - Everything from the bot or the person is rendered with textContent. Links are
 *   built with createElement and only for http(s) and tel: addresses.
 * - An emergency payload shows a red banner that stays for the rest of the session,
 *   also after a reload (it is stored per session id).
 *
 * The assessment result opens with a headline: a message whose custom payload is
 * {type: "assessment_headline", triage_level, recommendation}, in the same event as
 * its text or in the event right after it. It is shown as its own bubble in the
 * colour of the triage level, and scrolled to its top, so what to do is read first.
 */
(function () {
  "use strict";

  var currentScript = document.currentScript;
  var WIDGET_BASE = currentScript && currentScript.src ? new URL(".", currentScript.src).href : "";

  var DEFAULT_CONFIG = {
    /** Where the Rasa server listens (its socket.io channel). */
    socketUrl: window.location.origin,
    /** Rasa's `socketio_path`. */
    socketPath: "/socket.io",
    /** Number to call when an emergency payload names none we can read. */
    emergencyNumber: "",
    title: "Back pain & insoles assistant",
    /** Open the chat on page load (the landing page opens it from its own button). */
    startOpen: false,
    /** Sent, not shown, when a new session starts, so the bot greets first. */
    greetPayload: "/greet",
    /** Sent by the page's "start the check" buttons (see window.BackPainChatStart). */
    startPayload: "/start_assessment",
    /** Prefix of every localStorage key the widget writes. */
    storagePrefix: "backpain-chat",
    /** URL of the widget's stylesheet; `null` when the page already includes it. */
    stylesheetUrl: WIDGET_BASE ? WIDGET_BASE + "chat-widget.css" : null,
    /** URL of socket.io-client, loaded when `window.io` is not there yet. */
    socketIoUrl: WIDGET_BASE ? new URL("../vendor/socket.io.min.js", WIDGET_BASE).href : null,
    /** How many messages the local transcript keeps. */
    transcriptLimit: 300,
    /** Hide the typing indicator if the bot has not answered after this long. */
    typingTimeoutMs: 45000,
  };

  var SAFE_LINK = /^(https?:\/\/[^\s<>"']+|tel:\+?[0-9]{2,15})$/i;
  var BARE_URL = /https?:\/\/[^\s<>"')\]]+/gi;
  var MARKDOWN_LINK = /\[([^\]\n]{1,200})\]\(([^)\s]{1,500})\)/g;
  var LIST_ITEM = /^\s*(?:[-*•])\s+/;
  var PHONE_NUMBER = /\+?\d[\d ()-]{1,16}\d|\b\d{3}\b/g;
  var HEADLINE_TYPE = "assessment_headline";
  var TRIAGE_LEVELS = ["emergency", "urgent", "routine", "self_care"];
  /** Bot text with this many blocks (paragraphs and lists) or characters reads as an article. */
  var LONG_ANSWER_BLOCKS = 3;
  var LONG_ANSWER_CHARS = 400;

  // ---------------------------------------------------------------- pure helpers

  /** Merge `window.BackPainChatConfig` and the script tag's data-* attributes. */
  function readConfig() {
    var config = {};
    var key;
    for (key in DEFAULT_CONFIG) config[key] = DEFAULT_CONFIG[key];
    var fromWindow = window.BackPainChatConfig || {};
    for (key in fromWindow) if (Object.prototype.hasOwnProperty.call(fromWindow, key)) config[key] = fromWindow[key];
    if (currentScript && currentScript.dataset) {
      var data = currentScript.dataset;
      if (data.socketUrl) config.socketUrl = data.socketUrl;
      if (data.socketPath) config.socketPath = data.socketPath;
      if (data.emergencyNumber) config.emergencyNumber = data.emergencyNumber;
      if (data.title) config.title = data.title;
      if (data.startOpen) config.startOpen = data.startOpen === "true";
    }
    return config;
  }

  /**
   * Return the dialable numbers mentioned in `text`, e.g. "911 in the US, 999 in the
   * UK, 112 in the EU" gives ["911", "999", "112"].
   */
  function phoneNumbersIn(text) {
    var found = [];
    var matches = String(text || "").match(PHONE_NUMBER) || [];
    matches.forEach(function (match) {
      var digits = match.replace(/[^\d+]/g, "").replace(/(?!^)\+/g, "");
      if (digits.replace("+", "").length >= 3 && found.indexOf(digits) === -1) found.push(digits);
    });
    return found;
  }

  /** Return `url` if it is an http(s) or tel: address, else null. */
  function safeHref(url) {
    var candidate = String(url || "").trim();
    return SAFE_LINK.test(candidate) ? candidate : null;
  }

  /** Split bot text into blocks: {type: "p", lines: [...]} or {type: "ul", items: [...]}. */
  function textBlocks(text) {
    var blocks = [];
    String(text || "")
      .replace(/\r\n?/g, "\n")
      .split(/\n\s*\n/)
      .forEach(function (paragraph) {
        var current = null;
        paragraph.split("\n").forEach(function (line) {
          if (!line.trim()) return;
          var isItem = LIST_ITEM.test(line);
          var type = isItem ? "ul" : "p";
          if (!current || current.type !== type) {
            current = { type: type, lines: [] };
            blocks.push(current);
          }
          current.lines.push(isItem ? line.replace(LIST_ITEM, "") : line);
        });
      });
    return blocks;
  }

  /** Append `text` to `parent` as text nodes, with safe links as <a> elements. */
  function appendInline(parent, text) {
    var pieces = [];
    var source = String(text);
    var cursor = 0;
    var match;
    MARKDOWN_LINK.lastIndex = 0;
    while ((match = MARKDOWN_LINK.exec(source)) !== null) {
      pieces.push({ text: source.slice(cursor, match.index) });
      var href = safeHref(match[2]);
      // An unsafe link (javascript:, data:, ...) stays visible as the plain text it was.
      pieces.push(href ? { text: match[1], href: href } : { text: match[0], plain: true });
      cursor = match.index + match[0].length;
    }
    pieces.push({ text: source.slice(cursor) });
    pieces.forEach(function (piece) {
      if (piece.href) return parent.appendChild(makeLink(piece.text, piece.href));
      if (piece.plain) return parent.appendChild(document.createTextNode(piece.text));
      appendWithBareUrls(parent, piece.text);
    });
  }

  function appendWithBareUrls(parent, text) {
    var cursor = 0;
    var match;
    BARE_URL.lastIndex = 0;
    while ((match = BARE_URL.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(cursor, match.index)));
      var href = safeHref(match[0]);
      parent.appendChild(href ? makeLink(match[0], href) : document.createTextNode(match[0]));
      cursor = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(cursor)));
  }

  function makeLink(text, href) {
    var link = document.createElement("a");
    link.textContent = text;
    link.href = href;
    if (!/^tel:/i.test(href)) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
    return link;
  }

  /** Render bot text into `container`: paragraphs, line breaks and "- " lists. */
  function renderRichText(container, text) {
    textBlocks(text).forEach(function (block) {
      if (block.type === "ul") {
        var list = document.createElement("ul");
        block.lines.forEach(function (line) {
          var item = document.createElement("li");
          appendInline(item, line);
          list.appendChild(item);
        });
        container.appendChild(list);
        return;
      }
      var paragraph = document.createElement("p");
      block.lines.forEach(function (line, index) {
        if (index > 0) paragraph.appendChild(document.createElement("br"));
        appendInline(paragraph, line);
      });
      container.appendChild(paragraph);
    });
  }

  /** Return the summary text a bot message carries, or null. */
  function summaryOf(message) {
    var custom = message && message.custom;
    if (custom && typeof custom === "object") {
      if (custom.type === "assessment_summary" && typeof custom.text === "string") return custom.text;
      if (typeof custom.summary === "string") return custom.summary;
    }
    if (message && typeof message.text === "string" && /^\s*Summary\b/.test(message.text)) return message.text;
    return null;
  }

  /**
   * Return {level} if a bot message's payload marks its text as the result's
   * headline, else null. An unknown triage level becomes null (neutral colours).
   */
  function headlineOf(custom) {
    if (!custom || typeof custom !== "object" || custom.type !== HEADLINE_TYPE) return null;
    return { level: TRIAGE_LEVELS.indexOf(custom.triage_level) === -1 ? null : custom.triage_level };
  }

  /**
   * Build the bubble of a bot message: its text as paragraphs and lists; a headline
   * gets a "Your result" label and its triage level's class; a long answer is marked
   * so it may use the whole width. Pure apart from creating DOM nodes.
   */
  function renderBotBubble(text, headline) {
    var bubble = element("div", "bpc-bubble");
    if (headline) {
      bubble.classList.add("bpc-headline", "bpc-level-" + (headline.level || "unknown"));
      var label = element("span", "bpc-headline-label");
      label.textContent = "Your result";
      bubble.appendChild(label);
    }
    var blocks = textBlocks(text);
    if (!headline && (blocks.length >= LONG_ANSWER_BLOCKS || String(text).length >= LONG_ANSWER_CHARS)) {
      bubble.classList.add("bpc-long");
    }
    renderRichText(bubble, text);
    return bubble;
  }

  /** Return the buttons of a bot message as [{title, payload}]. */
  function buttonsOf(message) {
    var raw = (message && (message.buttons || message.quick_replies)) || [];
    if (!Array.isArray(raw)) return [];
    return raw
      .filter(function (button) { return button && typeof button === "object"; })
      .map(function (button) {
        return { title: String(button.title || button.payload || ""), payload: String(button.payload || button.title || "") };
      })
      .filter(function (button) { return button.title && button.payload; });
  }

  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /** localStorage wrapper that never throws (private mode, full quota, bad JSON). */
  function Store(prefix) {
    this.prefix = prefix;
  }
  Store.prototype.get = function (key, fallback) {
    try {
      var raw = window.localStorage.getItem(this.prefix + ":" + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (error) {
      return fallback;
    }
  };
  Store.prototype.set = function (key, value) {
    try {
      window.localStorage.setItem(this.prefix + ":" + key, JSON.stringify(value));
    } catch (error) {
      /* Storage full or disabled: the chat still works, it just forgets on reload. */
    }
  };

  function element(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    for (var name in attributes || {}) node.setAttribute(name, attributes[name]);
    return node;
  }

  // ---------------------------------------------------------------- the widget

  function ChatWidget(config) {
    this.config = config;
    this.store = new Store(config.storagePrefix);
    this.sessionId = this.store.get("session_id", null) || newSessionId();
    this.store.set("session_id", this.sessionId);
    this.transcript = this.store.get("transcript:" + this.sessionId, []);
    this.outbox = this.store.get("outbox:" + this.sessionId, []);
    this.socket = null;
    this.sessionConfirmed = false;
    this.typingTimer = null;
    /** The first message of the bot's current answer, and the message kept at the top
     * of the view while the rest of the answer arrives (a headline, or the start of an
     * answer too long to fit). A message from the person resets both. */
    this.answerStart = null;
    this.pinned = null;
    this.buildDom();
    this.renderTranscript();
    this.renderAlerts();
    if (config.startOpen || this.store.get("open", false)) this.open(false);
  }

  ChatWidget.prototype.buildDom = function () {
    var self = this;
    var root = element("div", "bpc-root");
    var panelId = "bpc-panel-" + Math.random().toString(36).slice(2, 8);

    this.launcher = element("button", "bpc-launcher", {
      type: "button", "aria-expanded": "false", "aria-controls": panelId,
    });
    this.launcher.textContent = "Chat with our back pain assistant";
    this.launcher.addEventListener("click", function () { self.toggle(); });

    var panel = element("section", "bpc-panel", { id: panelId, "aria-label": this.config.title, hidden: "" });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") self.close();
    });

    var header = element("header", "bpc-header");
    var title = element("h2", "bpc-title");
    title.textContent = this.config.title;
    var note = element("p", "bpc-note");
    note.textContent = "Automated assistant, not a doctor. It cannot diagnose you.";
    var closeButton = element("button", "bpc-close", { type: "button", "aria-label": "Close chat" });
    closeButton.textContent = "×";
    closeButton.addEventListener("click", function () { self.close(); });
    var headings = element("div", "bpc-headings");
    headings.appendChild(title);
    headings.appendChild(note);
    header.appendChild(headings);
    header.appendChild(closeButton);

    this.emergencyBanner = element("div", "bpc-emergency", { role: "alert", hidden: "" });
    this.urgentNotice = element("div", "bpc-urgent", { role: "status", hidden: "" });
    this.connection = element("p", "bpc-connection", { role: "status", "aria-live": "polite", hidden: "" });

    this.log = element("div", "bpc-log", {
      role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation", tabindex: "0",
    });
    this.typing = element("div", "bpc-typing", { hidden: "", "aria-label": "The assistant is typing" });
    for (var i = 0; i < 3; i++) this.typing.appendChild(element("span", "bpc-dot", { "aria-hidden": "true" }));

    var form = element("form", "bpc-form");
    var inputId = panelId + "-input";
    var label = element("label", "bpc-visually-hidden", { for: inputId });
    label.textContent = "Your message";
    this.input = element("textarea", "bpc-input", {
      id: inputId, rows: "1", maxlength: "5000", placeholder: "Type your message…", autocomplete: "off",
    });
    var hint = element("span", "bpc-visually-hidden", { id: inputId + "-hint" });
    hint.textContent = "Press Enter to send, Shift and Enter for a new line.";
    this.input.setAttribute("aria-describedby", hint.id);
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.submitInput();
      }
    });
    var send = element("button", "bpc-send", { type: "submit" });
    send.textContent = "Send";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submitInput();
    });
    form.appendChild(label);
    form.appendChild(hint);
    form.appendChild(this.input);
    form.appendChild(send);

    panel.appendChild(header);
    panel.appendChild(this.emergencyBanner);
    panel.appendChild(this.urgentNotice);
    panel.appendChild(this.connection);
    panel.appendChild(this.log);
    panel.appendChild(this.typing);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(this.launcher);
    this.panel = panel;
    document.body.appendChild(root);
  };

  // --- opening and closing

  ChatWidget.prototype.toggle = function () {
    if (this.panel.hidden) this.open(true);
    else this.close();
  };

  ChatWidget.prototype.open = function (moveFocus) {
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.classList.add("bpc-launcher-open");
    this.store.set("open", true);
    this.connect();
    this.scrollToEnd();
    if (moveFocus) this.input.focus();
  };

  ChatWidget.prototype.close = function () {
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.classList.remove("bpc-launcher-open");
    this.store.set("open", false);
    this.launcher.focus();
  };

  /**
   * Open the chat and start the assessment, showing `shownText` as the person's
   * message. A conversation already under way is only opened, where it was left.
   */
  ChatWidget.prototype.startAssessment = function (shownText) {
    var started = this.transcript.some(function (entry) { return entry.role === "user"; }) || this.outbox.length;
    if (!started) {
      // The start message opens the conversation instead of the hidden greeting.
      this.store.set("greeted:" + this.sessionId, true);
      this.send(String(shownText || "Start the check"), this.config.startPayload);
    }
    this.open(true);
  };

  // --- the connection

  ChatWidget.prototype.connect = function () {
    var self = this;
    if (this.socket) return;
    if (typeof window.io !== "function") {
      this.showConnection("The chat could not load. Please reload the page.");
      return;
    }
    this.showConnection("Connecting…");
    var socket = window.io(this.config.socketUrl, {
      path: this.config.socketPath,
      // WebSocket first: its origin is checked by the server itself, and it needs
      // no CORS headers (which `rasa run --cors` would send twice on polling).
      // Long polling remains the fallback for networks that block WebSockets.
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 15000,
      randomizationFactor: 0.5,
    });
    this.socket = socket;
    socket.on("connect", function () {
      self.sessionConfirmed = false;
      socket.emit("session_request", { session_id: self.sessionId });
    });
    socket.on("session_confirm", function (confirmedId) {
      self.onSessionConfirmed(confirmedId);
    });
    socket.on("bot_uttered", function (message) {
      self.onBotMessage(message);
    });
    socket.on("disconnect", function () {
      self.sessionConfirmed = false;
      self.showConnection("Reconnecting…");
    });
    socket.on("connect_error", function () {
      self.sessionConfirmed = false;
      self.showConnection("Reconnecting…");
    });
    socket.io.on("reconnect_attempt", function (attempt) {
      self.showConnection("Reconnecting… (attempt " + attempt + ")");
    });
  };

  ChatWidget.prototype.onSessionConfirmed = function (confirmedId) {
    if (typeof confirmedId === "string" && confirmedId && confirmedId !== this.sessionId) {
      // The server issues sessions: it replaces a first visit's id, and any id it did
      // not sign. Messages typed before any session was confirmed move to the new one.
      var unconfirmed = !this.store.get("confirmed:" + this.sessionId, false);
      this.switchSession(confirmedId, unconfirmed ? { transcript: this.transcript, outbox: this.outbox } : null);
    }
    this.store.set("confirmed:" + this.sessionId, true);
    this.sessionConfirmed = true;
    this.showConnection("");
    if (!this.transcript.length && !this.outbox.length && !this.store.get("greeted:" + this.sessionId, false)) {
      this.store.set("greeted:" + this.sessionId, true);
      this.emitMessage(this.config.greetPayload);
    }
    this.flushOutbox();
  };

  ChatWidget.prototype.switchSession = function (sessionId, carried) {
    this.sessionId = sessionId;
    this.store.set("session_id", sessionId);
    this.transcript = carried ? carried.transcript : this.store.get("transcript:" + sessionId, []);
    this.outbox = carried ? carried.outbox : this.store.get("outbox:" + sessionId, []);
    if (carried) {
      this.store.set("transcript:" + sessionId, this.transcript);
      this.store.set("outbox:" + sessionId, this.outbox);
    }
    this.log.textContent = "";
    this.renderTranscript();
    this.renderAlerts();
  };

  ChatWidget.prototype.isOnline = function () {
    return Boolean(this.socket && this.socket.connected && this.sessionConfirmed);
  };

  ChatWidget.prototype.emitMessage = function (text) {
    this.socket.emit("user_uttered", { message: text, session_id: this.sessionId });
    this.showTyping(true);
  };

  /** Send queued messages once each, oldest first. */
  ChatWidget.prototype.flushOutbox = function () {
    while (this.outbox.length && this.isOnline()) {
      var next = this.outbox.shift();
      this.store.set("outbox:" + this.sessionId, this.outbox);
      this.emitMessage(next.payload);
      this.markSent(next.id);
    }
  };

  ChatWidget.prototype.showConnection = function (text) {
    this.connection.textContent = text;
    this.connection.hidden = !text;
  };

  ChatWidget.prototype.showTyping = function (visible) {
    var self = this;
    window.clearTimeout(this.typingTimer);
    this.typing.hidden = !visible;
    if (visible) {
      this.typingTimer = window.setTimeout(function () { self.typing.hidden = true; }, this.config.typingTimeoutMs);
      this.scrollToEnd();
    }
  };

  // --- sending

  ChatWidget.prototype.submitInput = function () {
    var text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.send(text, text);
  };

  /** Show `shownText` as the person's message and send `payload` (now or when back online). */
  ChatWidget.prototype.send = function (shownText, payload) {
    this.disableQuickReplies();
    var entry = { role: "user", text: shownText, id: newSessionId().slice(0, 12) };
    if (this.isOnline()) {
      this.addEntry(entry);
      this.emitMessage(payload);
      return;
    }
    entry.queued = true;
    this.outbox.push({ id: entry.id, payload: payload });
    this.store.set("outbox:" + this.sessionId, this.outbox);
    this.addEntry(entry);
    this.connect();
  };

  ChatWidget.prototype.markSent = function (entryId) {
    this.transcript.forEach(function (entry) {
      if (entry.id === entryId) delete entry.queued;
    });
    this.saveTranscript();
    var node = this.log.querySelector('[data-entry-id="' + entryId + '"]');
    if (node) {
      node.classList.remove("bpc-queued");
      var badge = node.querySelector(".bpc-queued-badge");
      if (badge) badge.remove();
    }
  };

  // --- receiving

  ChatWidget.prototype.onBotMessage = function (message) {
    if (!message || typeof message !== "object") return;
    this.showTyping(false);
    var custom = message.custom && typeof message.custom === "object" ? message.custom : null;
    if (custom) this.onCustomPayload(custom);
    var summary = summaryOf(message);
    var headline = headlineOf(custom);
    if (typeof message.text === "string" && message.text.trim()) {
      this.addEntry({
        role: "bot", text: message.text, buttons: buttonsOf(message),
        summary: summary || undefined, headline: headline || undefined,
      });
    } else if (headline) {
      this.markHeadline(headline);
    } else if (summary && !this.attachSummary(summary)) {
      this.addEntry({ role: "summary", text: summary });
    }
  };

  /**
   * Mark the newest bot message as the result's headline: its payload came as the
   * next event (channels that send text and payload separately).
   */
  ChatWidget.prototype.markHeadline = function (headline) {
    var last = this.transcript[this.transcript.length - 1];
    if (!last || last.role !== "bot" || last.headline) return;
    last.headline = headline;
    this.saveTranscript();
    var node = this.log.querySelector('[data-entry-id="' + last.id + '"]');
    if (!node) return;
    var fresh = this.renderEntry(last, true);
    node.replaceWith(fresh);
    if (this.answerStart === node) this.answerStart = fresh;
    this.pinned = fresh;
    this.scrollAnswer();
  };

  /**
   * Give the newest bot message the copy and download buttons if it shows `summary`
   * (the text and its payload arrive as two events). Return whether it did.
   */
  ChatWidget.prototype.attachSummary = function (summary) {
    var last = this.transcript[this.transcript.length - 1];
    if (!last || last.role !== "bot" || String(last.text).trim() !== summary.trim()) return false;
    if (last.summary) return true;
    last.summary = summary;
    this.saveTranscript();
    var node = this.log.querySelector('[data-entry-id="' + last.id + '"]');
    if (!node) return true;
    var fresh = this.renderEntry(last, true);
    node.replaceWith(fresh);
    if (this.answerStart === node) this.answerStart = fresh;
    if (this.pinned === node) this.pinned = fresh;
    return true;
  };

  ChatWidget.prototype.onCustomPayload = function (custom) {
    var level = custom.triage_level;
    if (level === "emergency") {
      this.store.set("emergency:" + this.sessionId, {
        emergency_number: String(custom.emergency_number || ""),
        red_flags: Array.isArray(custom.red_flags) ? custom.red_flags.map(String) : [],
      });
    } else if (level === "urgent") {
      this.store.set("urgent:" + this.sessionId, { emergency_number: String(custom.emergency_number || "") });
    }
    this.renderAlerts();
  };

  // --- the transcript

  ChatWidget.prototype.addEntry = function (entry) {
    if (!entry.id) entry.id = newSessionId().slice(0, 12);
    this.transcript.push(entry);
    if (this.transcript.length > this.config.transcriptLimit) {
      this.transcript.splice(0, this.transcript.length - this.config.transcriptLimit);
    }
    this.saveTranscript();
    var node = this.renderEntry(entry, true);
    this.log.appendChild(node);
    if (entry.role === "user") {
      this.answerStart = null;
      this.pinned = null;
      this.scrollToEnd();
      return;
    }
    if (!this.answerStart || !this.answerStart.isConnected) this.answerStart = node;
    if (entry.headline) this.pinned = node;
    this.scrollAnswer();
  };

  /**
   * Scroll so the bot's answer is read from its beginning: to the end while the whole
   * answer fits, else to the answer's first message; a result's headline always
   * stays at the top while the rest of the answer arrives.
   */
  ChatWidget.prototype.scrollAnswer = function () {
    if (!this.pinned || !this.pinned.isConnected) {
      this.scrollToEnd();
      if (!this.answerStart || this.answerStart.getBoundingClientRect().top >= this.log.getBoundingClientRect().top) {
        return;
      }
      this.pinned = this.answerStart;
    }
    var offset = this.pinned.getBoundingClientRect().top - this.log.getBoundingClientRect().top;
    this.log.scrollTop += offset - 8;
  };

  ChatWidget.prototype.saveTranscript = function () {
    this.store.set("transcript:" + this.sessionId, this.transcript);
  };

  ChatWidget.prototype.renderTranscript = function () {
    var self = this;
    var last = this.transcript.length - 1;
    this.transcript.forEach(function (entry, index) {
      // Only the newest bot message's buttons still make sense to click.
      self.log.appendChild(self.renderEntry(entry, index === last));
    });
  };

  ChatWidget.prototype.renderEntry = function (entry, buttonsActive) {
    var self = this;
    var wrapper = element("div", "bpc-message bpc-" + (entry.role === "user" ? "user" : "bot"));
    if (entry.id) wrapper.setAttribute("data-entry-id", entry.id);
    var speaker = element("span", "bpc-visually-hidden");
    speaker.textContent = entry.role === "user" ? "You said:" : "Assistant:";
    wrapper.appendChild(speaker);
    var bubble;
    if (entry.role === "user") {
      bubble = element("div", "bpc-bubble");
      bubble.textContent = entry.text;
    } else if (entry.role === "summary") {
      bubble = element("div", "bpc-bubble");
      var intro = element("p");
      intro.textContent = "Your assessment summary is ready.";
      bubble.appendChild(intro);
    } else {
      bubble = renderBotBubble(entry.text, entry.headline);
    }
    wrapper.appendChild(bubble);
    if (entry.queued) {
      wrapper.classList.add("bpc-queued");
      var badge = element("span", "bpc-queued-badge");
      badge.textContent = "Waiting to send…";
      wrapper.appendChild(badge);
    }
    if (entry.summary || entry.role === "summary") {
      wrapper.appendChild(this.renderSummaryActions(entry.summary || entry.text));
    }
    if (buttonsActive && entry.buttons && entry.buttons.length) {
      var group = element("div", "bpc-quick-replies", { role: "group", "aria-label": "Suggested answers" });
      entry.buttons.forEach(function (button) {
        var node = element("button", "bpc-quick-reply", { type: "button" });
        node.textContent = button.title;
        node.addEventListener("click", function () {
          self.send(button.title, button.payload);
          self.input.focus();
        });
        group.appendChild(node);
      });
      wrapper.appendChild(group);
    }
    return wrapper;
  };

  ChatWidget.prototype.disableQuickReplies = function () {
    Array.prototype.forEach.call(this.log.querySelectorAll(".bpc-quick-replies"), function (group) {
      group.remove();
    });
  };

  ChatWidget.prototype.renderSummaryActions = function (summaryText) {
    var actions = element("div", "bpc-summary-actions", { role: "group", "aria-label": "Assessment summary" });
    var copy = element("button", "bpc-summary-copy", { type: "button" });
    copy.textContent = "Copy summary";
    var download = element("button", "bpc-summary-download", { type: "button" });
    download.textContent = "Download summary (.txt)";
    var status = element("span", "bpc-summary-status", { role: "status" });
    copy.addEventListener("click", function () {
      copyText(summaryText).then(
        function () { status.textContent = "Copied."; },
        function () { status.textContent = "Copy failed: please use Download."; }
      );
    });
    download.addEventListener("click", function () {
      downloadText(summaryText, "back-pain-summary-" + new Date().toISOString().slice(0, 10) + ".txt");
      status.textContent = "Downloaded.";
    });
    actions.appendChild(copy);
    actions.appendChild(download);
    actions.appendChild(status);
    return actions;
  };

  // --- emergency and urgent notices

  ChatWidget.prototype.renderAlerts = function () {
    var emergency = this.store.get("emergency:" + this.sessionId, null);
    var urgent = this.store.get("urgent:" + this.sessionId, null);
    this.emergencyBanner.textContent = "";
    this.urgentNotice.textContent = "";
    this.emergencyBanner.hidden = !emergency;
    this.urgentNotice.hidden = Boolean(emergency) || !urgent;
    if (emergency) {
      var heading = element("strong", "bpc-emergency-title");
      heading.textContent = "This could be an emergency. Call now or go to an emergency department.";
      this.emergencyBanner.appendChild(heading);
      var numbers = phoneNumbersIn(emergency.emergency_number);
      if (!numbers.length) numbers = phoneNumbersIn(this.config.emergencyNumber);
      var links = element("p", "bpc-emergency-links");
      if (numbers.length) {
        numbers.forEach(function (number) {
          var link = makeLink("Call " + number, "tel:" + number);
          link.className = "bpc-emergency-call";
          links.appendChild(link);
        });
      } else {
        links.textContent = "Call your local emergency number.";
      }
      this.emergencyBanner.appendChild(links);
      if (emergency.emergency_number && !/^\+?[\d ]+$/.test(emergency.emergency_number)) {
        var detail = element("p", "bpc-emergency-detail");
        detail.textContent = "Emergency number: " + emergency.emergency_number;
        this.emergencyBanner.appendChild(detail);
      }
    } else if (urgent) {
      this.urgentNotice.textContent = "Please see a doctor promptly, today or tomorrow.";
    }
  };

  ChatWidget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  // ---------------------------------------------------------------- clipboard and files

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = element("textarea", "bpc-visually-hidden", { readonly: "" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      area.remove();
      if (copied) resolve();
      else reject(new Error("copy failed"));
    });
  }

  function downloadText(text, filename) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    var link = element("a", null, { href: url, download: filename });
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // ---------------------------------------------------------------- start-up

  function loadOnce(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      for (var name in attributes) node.setAttribute(name, attributes[name]);
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  /** Calls the page made before the widget was ready, replayed once it is. */
  var pendingCalls = [];

  function start() {
    var config = readConfig();
    var pending = [];
    if (config.stylesheetUrl && !document.querySelector('link[data-bpc-style]')) {
      pending.push(loadOnce("link", { rel: "stylesheet", href: config.stylesheetUrl, "data-bpc-style": "" }).catch(function () {}));
    }
    if (typeof window.io !== "function" && config.socketIoUrl) {
      pending.push(loadOnce("script", { src: config.socketIoUrl }).catch(function () {}));
    }
    Promise.all(pending).then(function () {
      window.BackPainChat = new ChatWidget(config);
      pendingCalls.splice(0).forEach(function (call) { call(window.BackPainChat); });
    });
  }

  function whenReady(call) {
    if (window.BackPainChat) call(window.BackPainChat);
    else pendingCalls.push(call);
  }

  // Exposed for the page's own buttons: open the chat, or open it and start the check.
  window.BackPainChatOpen = function () {
    whenReady(function (widget) { widget.open(true); });
  };
  window.BackPainChatStart = function (shownText) {
    whenReady(function (widget) { widget.startAssessment(shownText); });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
