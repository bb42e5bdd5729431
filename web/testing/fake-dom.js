// A tiny fake DOM for the booth's glue tests: just what src/booth/dom.js
// and main.js touch (ids, attribute selectors, events, form fields). Kept
// outside test/ so that `node --test test/` does not run it as a test file.

export class FakeEvent {
  constructor(type, props = {}) {
    this.type = type;
    this.defaultPrevented = false;
    Object.assign(this, props);
  }
  preventDefault() { this.defaultPrevented = true; }
}

class EventTarget {
  constructor() { this.listeners = new Map(); }
  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }
  dispatchEvent(event) {
    for (const fn of this.listeners.get(event.type) || []) fn(event);
    return !event.defaultPrevented;
  }
}

export class FakeElement extends EventTarget {
  constructor(doc, tag, attrs = {}, children = []) {
    super();
    this.ownerDocument = doc;
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.hidden = false;
    this.disabled = false;
    this.checked = false;
    this.value = '';
    this.textContent = '';
    this.submitCount = 0;
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'hidden') this.hidden = true;
      else if (k === 'checked') this.checked = true;
      else if (k === 'value') this.value = v;
      else if (k === 'text') this.textContent = v;
      else this.attributes.set(k, String(v));
    }
    this.children = children;
  }
  get id() { return this.getAttribute('id') || ''; }
  get type() {
    const t = this.getAttribute('type');
    if (t !== null) return t;
    return this.tagName === 'BUTTON' ? 'submit' : 'text';
  }
  getAttribute(name) { return this.attributes.has(name) ? this.attributes.get(name) : null; }
  setAttribute(name, value) { this.attributes.set(name, String(value)); }
  removeAttribute(name) { this.attributes.delete(name); }
  hasAttribute(name) { return this.attributes.has(name); }
  *descendants() {
    for (const c of this.children) {
      yield c;
      yield* c.descendants();
    }
  }
  querySelectorAll(selectors) {
    const alternatives = selectors.split(',').map((s) => s.trim());
    const match = (el) => alternatives.some((s) => {
      const attr = /^\[([a-z-]+)\]$/.exec(s);
      if (attr) return el.hasAttribute(attr[1]);
      if (/^[a-z]+$/.test(s)) return el.tagName === s.toUpperCase();
      throw new Error(`fake DOM: unsupported selector ${s}`);
    });
    return Array.from(this.descendants()).filter(match);
  }
  focus() { this.ownerDocument.activeElement = this; }
  /** HTMLFormElement.submit(): counts, and records the named fields' values. */
  submit() {
    this.submitCount += 1;
    this.submitted = this.formData();
  }
  /** What the form would send: the value of every named field that is not disabled (radios and checkboxes only when checked). */
  formData() {
    const data = {};
    for (const el of this.descendants()) {
      const name = el.getAttribute('name');
      if (name === null || el.disabled || el.tagName !== 'INPUT') continue;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
      data[name] = el.value;
    }
    return data;
  }
  /** A user's click: the click event (a button of type "button" does nothing else). */
  click() {
    const event = new FakeEvent('click');
    this.dispatchEvent(event);
    return event;
  }
  /** A user picks this radio: it is checked, the others of its name in the document are not. */
  pick() {
    const name = this.getAttribute('name');
    for (const el of this.ownerDocument.body.descendants()) {
      if (el.type === 'radio' && el.getAttribute('name') === name) el.checked = false;
    }
    this.checked = true;
  }
  /** A user's click on the submit button: the submit event, then the submission if not prevented. */
  userSubmit() {
    const event = new FakeEvent('submit');
    this.dispatchEvent(event);
    if (!event.defaultPrevented) this.submitted = this.formData();
    return event;
  }
}

export class FakeDocument extends EventTarget {
  constructor() {
    super();
    this.body = new FakeElement(this, 'body');
    this.activeElement = this.body;
    this.readyState = 'loading';
    this.defaultView = null;
  }
  /** h('form', {id: 'x'}, [children]) */
  h(tag, attrs = {}, children = []) { return new FakeElement(this, tag, attrs, children); }
  getElementById(id) {
    for (const el of this.body.descendants()) if (el.id === id) return el;
    return null;
  }
  querySelectorAll(selectors) { return this.body.querySelectorAll(selectors); }
}

/** Web Storage over a Map, with the key(i)/length enumeration. */
export class FakeStorage {
  constructor(entries = {}) { this.map = new Map(Object.entries(entries)); }
  get length() { return this.map.size; }
  key(i) { return i < this.map.size ? Array.from(this.map.keys())[i] : null; }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
  entries() { return Object.fromEntries(this.map); }
}
