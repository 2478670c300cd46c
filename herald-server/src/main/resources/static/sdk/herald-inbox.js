/*
 * <herald-inbox>: Herald's in-app inbox as a framework-free web component.
 *
 *   <script type="module" src="https://herald.example.com/sdk/herald-inbox.js"></script>
 *   <herald-inbox token="hin1...." base-url="https://herald.example.com"></herald-inbox>
 *
 * token     an inbox token your backend got from POST /v1/users/{userId}/inbox-token (app credentials stay there)
 * base-url  where Herald is; default: the origin this script was loaded from
 *
 * A bell with the unread count; a click opens the feed: mark read or unread, archive, "mark all read", and a click
 * on a message with a url records the click and opens it. New messages and count changes arrive over Server-Sent
 * Events; the stream reconnects by itself and resumes after the last message it saw.
 *
 * The element has the attribute "live" while its stream is connected (style an offline state with :not([live])).
 * Events (bubbling, composed): "herald-inbox-token-expired" when Herald refuses the token (set a new token
 * attribute: the component reconnects), "herald-inbox-message" with {detail: item} for each new message.
 *
 * Theme with CSS custom properties on the element or any ancestor:
 *   --herald-inbox-accent, --herald-inbox-bg, --herald-inbox-fg, --herald-inbox-muted, --herald-inbox-unread-bg,
 *   --herald-inbox-badge-bg, --herald-inbox-badge-fg, --herald-inbox-font, --herald-inbox-width,
 *   --herald-inbox-radius, --herald-inbox-shadow
 * and ::part(bell), ::part(badge), ::part(panel), ::part(item) for anything else.
 */
const SCRIPT_ORIGIN = (() => {
  try { return new URL(import.meta.url).origin; } catch (e) { return location.origin; }
})();

const STYLE = `
:host { position: relative; display: inline-block; font-family: var(--herald-inbox-font, system-ui, sans-serif);
  color: var(--herald-inbox-fg, #1f2328); }
button { font: inherit; cursor: pointer; }
.bell { position: relative; background: none; border: 0; padding: 6px; border-radius: 50%; color: inherit; line-height: 0; }
.bell:hover, .bell:focus-visible { background: rgba(127,127,127,.15); }
.bell svg { width: 24px; height: 24px; }
.badge { position: absolute; top: 0; right: 0; min-width: 18px; height: 18px; padding: 0 5px; box-sizing: border-box;
  border-radius: 9px; font-size: 11px; line-height: 18px; font-weight: 600; text-align: center;
  background: var(--herald-inbox-badge-bg, #d1242f); color: var(--herald-inbox-badge-fg, #fff); }
.badge[hidden] { display: none; }
.panel { position: absolute; right: 0; top: calc(100% + 6px); z-index: 1000; width: var(--herald-inbox-width, 360px);
  max-height: 480px; display: flex; flex-direction: column; overflow: hidden;
  background: var(--herald-inbox-bg, #fff); border: 1px solid rgba(127,127,127,.25);
  border-radius: var(--herald-inbox-radius, 10px); box-shadow: var(--herald-inbox-shadow, 0 8px 24px rgba(0,0,0,.15)); }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; padding: 10px 14px;
  border-bottom: 1px solid rgba(127,127,127,.2); font-weight: 600; }
.link { background: none; border: 0; padding: 0; color: var(--herald-inbox-accent, #0969da); font-size: 13px; }
.link:disabled { opacity: .5; cursor: default; }
ul { list-style: none; margin: 0; padding: 0; overflow-y: auto; }
li { padding: 10px 14px; border-bottom: 1px solid rgba(127,127,127,.12); }
li.unread { background: var(--herald-inbox-unread-bg, rgba(9,105,218,.07)); }
li.unread .title::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%;
  background: var(--herald-inbox-accent, #0969da); vertical-align: middle; }
.open { display: block; width: 100%; text-align: left; background: none; border: 0; padding: 0; color: inherit; }
.open[disabled] { cursor: default; }
.title { font-weight: 600; font-size: 14px; }
.body { font-size: 13px; margin-top: 2px; white-space: pre-line; }
.meta { display: flex; gap: 12px; align-items: center; margin-top: 6px; font-size: 12px; color: var(--herald-inbox-muted, #656d76); }
.meta .link { font-size: 12px; }
.empty, .error { padding: 24px 14px; text-align: center; font-size: 13px; color: var(--herald-inbox-muted, #656d76); }
.more { padding: 8px; text-align: center; }
`;

const BELL = `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
  stroke-linejoin="round" aria-hidden="true"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/>
  <path d="M13.73 21a2 2 0 0 1-3.46 0"/></svg>`;

class HeraldInbox extends HTMLElement {
  static get observedAttributes() { return ['token', 'base-url']; }

  constructor() {
    super();
    this.items = new Map();      // id -> item; shown newest first
    this.unread = 0;
    this.nextCursor = null;
    this.lastEventId = null;
    this.source = null;
    this.retryTimer = null;
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style>
      <button class="bell" part="bell" aria-haspopup="true" aria-expanded="false" aria-label="Notifications">${BELL}
        <span class="badge" part="badge" hidden>0</span></button>
      <div class="panel" part="panel" role="dialog" aria-label="Notifications" hidden>
        <header><span>Notifications</span><button class="link read-all" type="button">Mark all read</button></header>
        <ul role="list"></ul>
        <div class="more" hidden><button class="link" type="button">Load more</button></div>
      </div>`;
    this.$bell = root.querySelector('.bell');
    this.$badge = root.querySelector('.badge');
    this.$panel = root.querySelector('.panel');
    this.$list = root.querySelector('ul');
    this.$more = root.querySelector('.more');
    this.$readAll = root.querySelector('.read-all');
    this.$bell.addEventListener('click', () => this.toggle());
    this.$readAll.addEventListener('click', () => this.readAll());
    this.$more.querySelector('button').addEventListener('click', () => this.load(this.nextCursor));
    this.onOutside = (e) => { if (!e.composedPath().includes(this)) this.toggle(false); };
    this.onKey = (e) => { if (e.key === 'Escape') this.toggle(false); };
  }

  get baseUrl() { return (this.getAttribute('base-url') || SCRIPT_ORIGIN).replace(/\/+$/, ''); }
  get token() { return this.getAttribute('token') || ''; }

  connectedCallback() {
    document.addEventListener('click', this.onOutside);
    document.addEventListener('keydown', this.onKey);
    this.restart();
  }

  disconnectedCallback() {
    document.removeEventListener('click', this.onOutside);
    document.removeEventListener('keydown', this.onKey);
    this.closeStream();
  }

  attributeChangedCallback(name, old, value) {
    if (old !== value && this.isConnected) this.restart();
  }

  restart() {
    this.closeStream();
    this.items.clear();
    this.nextCursor = null;
    this.lastEventId = null;
    if (!this.token) { this.renderList(); return; }
    this.load(null);
    this.openStream();
  }

  toggle(open = this.$panel.hidden) {
    this.$panel.hidden = !open;
    this.$bell.setAttribute('aria-expanded', String(open));
  }

  async api(method, path) {
    const res = await fetch(this.baseUrl + path, { method, headers: { Authorization: 'Bearer ' + this.token } });
    if (res.status === 401) { this.expired(); throw new Error('inbox token refused'); }
    if (!res.ok) throw new Error('Herald answered ' + res.status);
    return res.json();
  }

  expired() {
    this.closeStream();
    this.dispatchEvent(new CustomEvent('herald-inbox-token-expired', { bubbles: true, composed: true }));
  }

  async load(cursor) {
    try {
      const page = await this.api('GET', '/v1/inbox?limit=20' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      for (const item of page.items) this.put(item);
      if (cursor || !this.nextCursor) this.nextCursor = page.nextCursor;
      this.setCount(page.unreadCount);
      this.error = null;
    } catch (e) {
      this.error = 'Notifications are unavailable right now.';
    }
    this.renderList();
  }

  openStream() {
    if (!this.token || this.source) return;
    let url = this.baseUrl + '/v1/inbox/stream?token=' + encodeURIComponent(this.token);
    // a stream we open again ourselves (the browser gave up) resumes from the last message too
    if (this.lastEventId) url += '&lastEventId=' + encodeURIComponent(this.lastEventId);
    const source = new EventSource(url);
    this.source = source;
    // once the stream is open nothing new can slip past it: load the first page again to catch what came before
    source.addEventListener('open', () => { this.toggleAttribute('live', true); this.load(null); });
    source.addEventListener('message', (e) => {
      this.lastEventId = e.lastEventId || this.lastEventId;
      const item = JSON.parse(e.data);
      this.put(item);
      this.renderList();
      this.dispatchEvent(new CustomEvent('herald-inbox-message', { detail: item, bubbles: true, composed: true }));
    });
    source.addEventListener('count', (e) => this.setCount(JSON.parse(e.data).unreadCount));
    source.addEventListener('error', () => {
      this.toggleAttribute('live', false);
      if (source.readyState !== EventSource.CLOSED) return; // the browser reconnects with Last-Event-ID itself
      this.source = null;
      // closed for good (an error status): find out whether the token is the reason, else try again later
      fetch(this.baseUrl + '/v1/inbox?limit=1', { headers: { Authorization: 'Bearer ' + this.token } })
        .then((r) => { if (r.status === 401) this.expired(); else this.retryLater(); }, () => this.retryLater());
    });
  }

  retryLater() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.openStream(), 3000);
  }

  closeStream() {
    clearTimeout(this.retryTimer);
    if (this.source) this.source.close();
    this.source = null;
    this.toggleAttribute('live', false);
  }

  put(item) {
    this.items.set(item.id, item);
  }

  ordered() {
    return [...this.items.values()].sort((a, b) => (Date.parse(b.createdAt) - Date.parse(a.createdAt)) || b.id.localeCompare(a.id));
  }

  setCount(n) {
    this.unread = n;
    this.$badge.textContent = n > 99 ? '99+' : String(n);
    this.$badge.hidden = n === 0;
    this.$bell.setAttribute('aria-label', n === 0 ? 'Notifications' : `Notifications, ${n} unread`);
    this.$readAll.disabled = n === 0;
  }

  async act(item, action) {
    try {
      const updated = await this.api('POST', `/v1/inbox/${encodeURIComponent(item.id)}/${action}`);
      const { unreadCount, ...rest } = updated;
      if (rest.archivedAt) this.items.delete(item.id);
      else this.items.set(item.id, rest);
      this.setCount(unreadCount);
      this.renderList();
      return rest;
    } catch (e) {
      return null;
    }
  }

  async open(item) {
    const url = safeUrl(item.url);
    if (!url) { if (!item.readAt) this.act(item, 'read'); return; }
    // open at once (a popup must come from the click itself), record the click alongside
    window.open(url, '_blank', 'noopener');
    this.act(item, 'click');
  }

  async readAll() {
    try {
      const r = await this.api('POST', '/v1/inbox/read-all');
      const now = new Date().toISOString();
      for (const [id, item] of this.items) if (!item.readAt) this.items.set(id, { ...item, readAt: now });
      this.setCount(r.unreadCount);
      this.renderList();
    } catch (e) { /* shown by the next load */ }
  }

  renderList() {
    const list = this.$list;
    list.replaceChildren();
    const items = this.ordered();
    if (this.error && items.length === 0) {
      list.append(el('li', 'error', this.error));
    } else if (items.length === 0) {
      list.append(el('li', 'empty', 'You have no notifications.'));
    }
    for (const item of items) {
      const id = item.id;
      const li = el('li', item.readAt ? 'read' : 'unread');
      li.setAttribute('part', 'item');
      li.dataset.id = id;
      const open = el('button', 'open');
      open.type = 'button';
      if (item.title) open.append(el('div', 'title', item.title));
      if (item.body) open.append(el('div', 'body', item.body));
      if (!safeUrl(item.url) && item.readAt) open.disabled = true;
      open.addEventListener('click', () => this.open(item));
      const meta = el('div', 'meta');
      meta.append(el('time', '', relative(item.createdAt)));
      meta.lastChild.dateTime = item.createdAt;
      const toggle = el('button', 'link', item.readAt ? 'Mark unread' : 'Mark read');
      toggle.type = 'button';
      toggle.addEventListener('click', () => this.act(item, item.readAt ? 'unread' : 'read'));
      const archive = el('button', 'link', 'Archive');
      archive.type = 'button';
      archive.addEventListener('click', () => this.act(item, 'archive'));
      meta.append(toggle, archive);
      li.append(open, meta);
      list.append(li);
    }
    this.$more.hidden = !this.nextCursor;
  }
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text; // never innerHTML: message text is data, not markup
  return e;
}

function safeUrl(url) {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch (e) { return null; }
}

function relative(iso) {
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return new Date(iso).toLocaleDateString();
}

if (!customElements.get('herald-inbox')) customElements.define('herald-inbox', HeraldInbox);
export { HeraldInbox };
