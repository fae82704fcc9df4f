// The record file format of the editor: YAML written the way the command line writes it.
//
// Decap's own YAML format re-writes a file from the data and drops every comment (decap-cms#5099). This one
// keeps the document it read (the yaml library keeps comments, quotes and layout) and changes only what the
// form changed; a new record gets the schema header line and the house layout: mapping indent 2, list items
// "  - " under their key, short id lists as [a, b], multi-line text as a literal block.
import { Document, isMap, isScalar, isSeq, parseDocument } from './vendor/yaml/index.js';

const OUTPUT = { lineWidth: 0, indentSeq: true, flowCollectionPadding: false };
const read = new Map(); // record id -> the document as read, to apply the form's changes to

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const blank = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
  || (isObject(v) && Object.values(v).every(blank));

// Multi-line text as the command line stores it: trailing spaces off, one final newline (a "|" block).
function tidyText(s) {
  const text = s.replace(/\r\n/g, '\n').replace(/^\n+|\n+$/g, '').split('\n').map((l) => l.trimEnd()).join('\n');
  return text.includes('\n') ? `${text}\n` : text.trim();
}

function styleNode(node) {
  if (isScalar(node) && typeof node.value === 'string') {
    node.value = tidyText(node.value);
    node.type = node.value.includes('\n') ? 'BLOCK_LITERAL' : undefined;
  } else if (isSeq(node)) {
    const short = node.items.length > 0 && node.items.every((i) => isScalar(i) && typeof i.value === 'string'
      && !i.value.includes('\n') && i.value.length < 40);
    node.flow = short;
    node.items.forEach(styleNode);
  } else if (isMap(node)) {
    node.items.forEach((pair) => styleNode(pair.value));
  }
  return node;
}

function ordered(value, order) {
  if (!isObject(value) || !order) return value;
  const keys = [...order.filter((k) => k in value), ...Object.keys(value).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.filter((k) => !blank(value[k])).map((k) => [k, value[k]]));
}

const itemOrder = (orders, key) => (key === 'events' ? orders.event : orders.items[key] || null);

function newNode(doc, value, orders, key) {
  let v = value;
  if (Array.isArray(v)) v = v.map((e) => ordered(e, itemOrder(orders, key)));
  else if (isObject(v) && orders.items[key]) v = ordered(v, orders.items[key]);
  return styleNode(doc.createNode(v));
}

// Insert a new key where the schema order puts it (before the first present key that comes later).
function insertPair(doc, map, key, valueNode, order) {
  const pair = doc.createPair(key, valueNode);
  const later = order ? order.slice(order.indexOf(key) + 1) : [];
  const at = map.items.findIndex((p) => later.includes(isScalar(p.key) ? p.key.value : p.key));
  if (!order || order.indexOf(key) < 0 || at < 0) map.items.push(pair);
  else map.items.splice(at, 0, pair);
}

// Change node (in doc) to hold value, keeping every node, comment and style that did not change.
// order: the key order of a mapping at this level (top level: the schema's; events: the command line's).
function update(doc, node, value, orders, key, order) {
  if (isMap(node) && isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const child = node.get(k, true);
      if (blank(v)) { if (child !== undefined) node.delete(k); continue; }
      if (child === undefined) insertPair(doc, node, k, newNode(doc, v, orders, k), order);
      else node.set(k, update(doc, child, v, orders, k, null));
    }
    for (const pair of [...node.items]) {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (!(k in value)) node.delete(k);
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    const order = itemOrder(orders, key);
    value.forEach((v, i) => {
      if (i < node.items.length) node.items[i] = update(doc, node.items[i], v, orders, null, order);
      else node.items.push(styleNode(doc.createNode(ordered(v, order))));
    });
    node.items.splice(value.length);
    return node;
  }
  if (isScalar(node) && !isObject(value) && !Array.isArray(value)) {
    const next = typeof value === 'string' ? tidyText(value) : value;
    if (node.value !== next) {
      node.value = next;
      if (typeof next === 'string') node.type = next.includes('\n') ? 'BLOCK_LITERAL' : (node.type === 'BLOCK_LITERAL' ? undefined : node.type);
    }
    return node;
  }
  return newNode(doc, value, orders, key);
}

export function makeFormat(model) {
  const orders = model.orders;
  const kindOf = (data) => ('events' in data ? 'case' : 'matter');
  return {
    fromFile(text) {
      const doc = parseDocument(text);
      const data = doc.toJS() || {};
      if (data.id) read.set(data.id, text);
      return data;
    },
    toFile(data) {
      const kind = kindOf(data);
      const original = data.id && read.get(data.id);
      if (original) {
        const doc = parseDocument(original);
        update(doc, doc.contents, data, orders, null, orders[kind]);
        return doc.toString(OUTPUT);
      }
      const fresh = Object.fromEntries(Object.entries(data).filter(([k, v]) => model.defaults[kind]?.[k] !== v));
      const doc = new Document();
      doc.contents = newNode(doc, ordered(fresh, orders[kind]), orders, null);
      for (const pair of doc.contents.items) {
        if (pair.key.value === 'events') pair.value = newNode(doc, fresh.events, orders, 'events');
      }
      return `${model.headers[kind]}\n${doc.toString(OUTPUT)}`;
    },
  };
}
