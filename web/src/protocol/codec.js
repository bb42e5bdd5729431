// §12 JSON encodings: strict decoding with the path of the faulty field,
// and canonical encoding (sorted keys, no whitespace).
import { decodePoint, decodeScalar, encodePoint, encodeScalar } from './group.js';
import { fromBase64Url, toBase64Url } from './bytes.js';

export const MAX_LIST = 1000;
export const MAX_DEPTH = 64;
/** Integers (holder numbers) are bounded by 2^32 - 1, as in the C++ decoder. */
export const MAX_INT = 0xffffffff;

export class CodecError extends Error {
  constructor(path, message) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'CodecError';
    this.path = path;
    this.detail = message;
  }
}

/** A JSON number kept as its source text, so integers can be checked exactly. */
class JsonNumber {
  constructor(text) { this.text = text; }
}

/**
 * Strict JSON parser (RFC 8259): no duplicate keys, nesting depth at most
 * MAX_DEPTH, lists of at most MAX_LIST items. Numbers are kept as text.
 */
export function parseJson(text) {
  let i = 0;
  const fail = (why) => { throw new CodecError('', `invalid JSON at offset ${i}: ${why}`); };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const value = (depth, path) => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      if (depth >= MAX_DEPTH) throw new CodecError(path, `nesting deeper than ${MAX_DEPTH}`);
      i++;
      const obj = Object.create(null);
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        if (Object.prototype.hasOwnProperty.call(obj, key)) throw new CodecError(path, `duplicate key ${JSON.stringify(key)}`);
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        obj[key] = value(depth + 1, join(path, key));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        fail('expected , or }');
      }
    }
    if (ch === '[') {
      if (depth >= MAX_DEPTH) throw new CodecError(path, `nesting deeper than ${MAX_DEPTH}`);
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        if (arr.length >= MAX_LIST) throw new CodecError(path, `more than ${MAX_LIST} items`);
        arr.push(value(depth + 1, `${path}[${arr.length}]`));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        fail('expected , or ]');
      }
    }
    if (ch === '"') return string();
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0) { i += m[0].length; return new JsonNumber(m[0]); }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(lit, i)) { i += lit.length; return v; }
    }
    return fail('unexpected character');
  };
  const string = () => {
    // Delegate escapes to JSON.parse on the exact string token.
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('control character in string');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    try { return JSON.parse(text.slice(start, i)); } catch { return fail('bad string'); }
  };
  const result = value(0, '');
  ws();
  if (i !== text.length) fail('trailing characters');
  return result;
}

function join(path, key) {
  return path ? `${path}.${key}` : key;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** An object with exactly the given keys. */
function object(v, path, keys) {
  if (!isObject(v)) throw new CodecError(path, 'expected an object');
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) throw new CodecError(join(path, k), 'unknown key');
  }
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) throw new CodecError(join(path, k), 'missing');
  }
  return v;
}

function list(v, path, { length, min = 0 } = {}) {
  if (!Array.isArray(v)) throw new CodecError(path, 'expected a list');
  if (v.length > MAX_LIST) throw new CodecError(path, `more than ${MAX_LIST} items`);
  if (length === undefined && v.length < min) throw new CodecError(path, 'empty list');
  if (length !== undefined && v.length !== length) {
    throw new CodecError(path, `expected ${length} items, got ${v.length}`);
  }
  return v;
}

export function decodeInt(v, path) {
  if (v instanceof JsonNumber) {
    if (!/^(0|[1-9][0-9]*)$/.test(v.text)) throw new CodecError(path, 'expected a non-negative integer');
    const n = Number(v.text);
    if (v.text.length > 10 || n > MAX_INT) throw new CodecError(path, 'integer too large');
    return n;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new CodecError(path, 'expected a non-negative integer');
  }
  if (v > MAX_INT) throw new CodecError(path, 'integer too large');
  return v;
}

export function decodeBytes(v, path, { length } = {}) {
  if (typeof v !== 'string') throw new CodecError(path, 'expected a base64url string');
  let bytes;
  try {
    bytes = fromBase64Url(v);
  } catch (e) {
    throw new CodecError(path, e.message);
  }
  if (length !== undefined && bytes.length !== length) {
    throw new CodecError(path, `expected ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

export function decodePointField(v, path, { allowIdentity = false } = {}) {
  const bytes = decodeBytes(v, path);
  try {
    return decodePoint(bytes, { allowIdentity });
  } catch {
    throw new CodecError(path, 'the bytes do not encode a point of P-256');
  }
}

export function decodeScalarField(v, path) {
  const bytes = decodeBytes(v, path);
  try {
    return decodeScalar(bytes);
  } catch {
    throw new CodecError(path, 'the bytes do not encode a scalar');
  }
}

/** {"c": S, "s": S} */
export function decodeProof(v, path = '') {
  object(v, path, ['c', 's']);
  return { c: decodeScalarField(v.c, join(path, 'c')), s: decodeScalarField(v.s, join(path, 's')) };
}

/** [{"c": S, "s": S}, ...] */
export function decodeMembership(v, path = '', { length } = {}) {
  list(v, path, { length, min: 1 });
  return v.map((item, j) => decodeProof(item, `${path}[${j}]`));
}

/** {"alpha": P, "beta": P} */
export function decodeCiphertext(v, path = '', { allowIdentity = false } = {}) {
  object(v, path, ['alpha', 'beta']);
  return {
    alpha: decodePointField(v.alpha, join(path, 'alpha'), { allowIdentity }),
    beta: decodePointField(v.beta, join(path, 'beta'), { allowIdentity }),
  };
}

function parseIfText(v) {
  return typeof v === 'string' ? parseJson(v) : v;
}

/**
 * Ballot: {"credential": P, "choices": [{"alpha","beta","proof"}], "sum_proof",
 * "signature"}. With params ({choices, min, max}) the list lengths are
 * checked too (§6.1, §7.5 step 1).
 */
export function decodeBallot(input, params = {}) {
  const v = parseIfText(input);
  object(v, '', ['credential', 'choices', 'sum_proof', 'signature']);
  const credential = decodePointField(v.credential, 'credential');
  list(v.choices, 'choices', { length: params.choices, min: 1 });
  const choices = v.choices.map((ch, i) => {
    const path = `choices[${i}]`;
    object(ch, path, ['alpha', 'beta', 'proof']);
    return {
      alpha: decodePointField(ch.alpha, `${path}.alpha`),
      beta: decodePointField(ch.beta, `${path}.beta`),
      proof: decodeMembership(ch.proof, `${path}.proof`, { length: 2 }),
    };
  });
  const sumLength = params.min !== undefined && params.max !== undefined ? params.max - params.min + 1 : undefined;
  const sumProof = decodeMembership(v.sum_proof, 'sum_proof', { length: sumLength });
  const signature = decodeProof(v.signature, 'signature');
  return { credential, choices, sumProof, signature };
}

/** Transport key: {"holder": int, "transport_key": P, "proof": {"c","s"}}. */
export function decodeTransportKey(input) {
  const v = parseIfText(input);
  object(v, '', ['holder', 'transport_key', 'proof']);
  return {
    holder: decodeInt(v.holder, 'holder'),
    transportKey: decodePointField(v.transport_key, 'transport_key'),
    proof: decodeProof(v.proof, 'proof'),
  };
}

/** Dealing: {"dealer", "commitments": [P], "proof", "shares": [{"recipient","ephemeral","box"}]}. */
export function decodeDealing(input) {
  const v = parseIfText(input);
  object(v, '', ['dealer', 'commitments', 'proof', 'shares']);
  list(v.commitments, 'commitments', { min: 1 });
  list(v.shares, 'shares', { min: 1 });
  return {
    dealer: decodeInt(v.dealer, 'dealer'),
    commitments: v.commitments.map((c, k) => decodePointField(c, `commitments[${k}]`)),
    proof: decodeProof(v.proof, 'proof'),
    shares: v.shares.map((s, j) => {
      const path = `shares[${j}]`;
      object(s, path, ['recipient', 'ephemeral', 'box']);
      return {
        recipient: decodeInt(s.recipient, `${path}.recipient`),
        ephemeral: decodePointField(s.ephemeral, `${path}.ephemeral`),
        // The 48-byte length is part of well-formedness (§9.2, dkg.dealingProblem).
        box: decodeBytes(s.box, `${path}.box`),
      };
    }),
  };
}

/** Complaint: {"dealer", "accuser", "shared_key": P, "proof"}. */
export function decodeComplaint(input) {
  const v = parseIfText(input);
  object(v, '', ['dealer', 'accuser', 'shared_key', 'proof']);
  return {
    dealer: decodeInt(v.dealer, 'dealer'),
    accuser: decodeInt(v.accuser, 'accuser'),
    sharedKey: decodePointField(v.shared_key, 'shared_key'),
    proof: decodeProof(v.proof, 'proof'),
  };
}

/** Partial decryption: {"holder", "factors": [{"factor": P, "proof"}]}. */
export function decodePartialDecryption(input, { length } = {}) {
  const v = parseIfText(input);
  object(v, '', ['holder', 'factors']);
  list(v.factors, 'factors', { length, min: 1 });
  return {
    holder: decodeInt(v.holder, 'holder'),
    factors: v.factors.map((f, i) => {
      const path = `factors[${i}]`;
      object(f, path, ['factor', 'proof']);
      return {
        // A factor alpha^x_j is the identity when alpha is (a scrutin with
        // no ballot). The spec does not say so and the C++ decoder rejects
        // it; see web/README.md.
        factor: decodePointField(f.factor, `${path}.factor`, { allowIdentity: true }),
        proof: decodeProof(f.proof, `${path}.proof`),
      };
    }),
  };
}

// Encoding.

export const encodePointField = (P) => toBase64Url(encodePoint(P));
export const encodeScalarField = (k) => toBase64Url(encodeScalar(k));
export const encodeProof = ({ c, s }) => ({ c: encodeScalarField(c), s: encodeScalarField(s) });
export const encodeMembership = (proof) => proof.map(encodeProof);
export const encodeCiphertext = ({ alpha, beta }) => ({ alpha: encodePointField(alpha), beta: encodePointField(beta) });

export function encodeBallot(ballot) {
  return {
    credential: encodePointField(ballot.credential),
    choices: ballot.choices.map((ch) => ({
      alpha: encodePointField(ch.alpha),
      beta: encodePointField(ch.beta),
      proof: encodeMembership(ch.proof),
    })),
    sum_proof: encodeMembership(ballot.sumProof),
    signature: encodeProof(ballot.signature),
  };
}

export function encodePartialDecryption({ holder, factors }) {
  return {
    holder,
    factors: factors.map((f) => ({ factor: encodePointField(f.factor), proof: encodeProof(f.proof) })),
  };
}

/** Canonical JSON text: sorted keys, no whitespace. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof JsonNumber) return value.text;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
