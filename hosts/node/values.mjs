// Converts component values between the wire JSON of protocol 2
// (docs/host-protocol.md, "Values on the wire") and the JavaScript values
// that the bindings of `jco transpile` (the version pinned in
// package-lock.json) take as arguments and give back as results.
//
// jco's representation, as its generated lifting and lowering code has it:
// - s64 and u64 are BigInts, the other integers and floats are numbers,
//   chars are one-character strings;
// - record fields and flags are named in lowerCamelCase (`sort-keys` is
//   `sortKeys`, `URL-path` is `urlPath`), flags are an object of booleans;
// - a variant is `{tag, val}`, the tag its kebab-case case name as the WIT
//   spells it; a result nested in a type is `{tag: 'ok' | 'err', val}`; an
//   enum is its kebab-case case name;
// - `option<T>` is `undefined` or the value itself, except where `T`'s value
//   may be `undefined` (`T` is an option that is not tagged itself): then it
//   is `{tag: 'none'}` or `{tag: 'some', val}`, so levels alternate;
// - a list of a numeric type is the TypedArray of that type (a list of
//   `s64` is a BigInt64Array), any other list and a tuple are arrays;
// - a top-level `result` comes back as its ok payload, or is thrown as a
//   `ComponentError` whose `payload` is its err payload (guest.mjs).
// jco checks little of what it is given (it wraps integers, takes the
// first code point of a char), so what is lowered is checked here first.
//
// This module uses no Node API, so that the page of the browser host can
// import it too.

/** A value that does not fit its type; the call that needed it is a trap. */
export class ValueError extends Error {}

/**
 * A key under which protocol.mjs and the page put the raw strings that came
 * before a call line, in order, for the call's `null` strings to take.
 * A symbol, so that re-encoding the call as JSON leaves them out.
 */
export const RAW_STRINGS = Symbol.for('witness.raw-strings');

/**
 * Converts a wire value to the JavaScript value jco's bindings take.
 *
 * @param {string | object} type a type in protocol 2's form.
 * @param {unknown} json the wire value, as `JSON.parse` gives it.
 * @param {() => string} [takeRaw] returns the next raw string, for a `null`
 *   in a `string` position.
 * @returns {unknown}
 * @throws {ValueError} when the value does not fit the type.
 */
export function fromWire(type, json, takeRaw = noRaw) {
  return converter(type).lower(json, takeRaw);
}

/**
 * Converts a JavaScript value that jco's bindings gave back to the text of
 * its wire value.  Text rather than a value for `JSON.stringify`, which
 * would write `-0` as `0` and cost a second pass.
 *
 * @param {string | object} type a type in protocol 2's form.
 * @param {unknown} value the value jco gave back.
 * @param {(text: string) => void} [pushRaw] takes every string, in order,
 *   to be sent as a raw string; the string is then written as `null`.
 *   Without it, strings are written inline.
 * @returns {string} JSON text.
 * @throws {ValueError} when the value does not fit the type.
 */
export function toWire(type, value, pushRaw = null) {
  return converter(type).lift(value, pushRaw);
}

/**
 * A name in jco's lowerCamelCase: the first word in lower case, every other
 * word capitalized (WIT words are all lower or all upper case, `URL-path`
 * is `urlPath`), as jco names record fields, flags and functions.
 */
export function lowerCamelCase(name) {
  const words = name.split('-');
  let camel = words[0].toLowerCase();
  for (let word_idx = 1; word_idx < words.length; word_idx++) {
    const word = words[word_idx];
    camel += word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
  }
  return camel;
}

/**
 * The JavaScript function of an exported function in the object that jco's
 * `instantiate` resolves to, or null where there is none.
 * jco puts an exported interface under its full name
 * (`example:json-tools/formatter@1.0.0`) and its last name (`formatter`),
 * and a function the world exports directly on the object itself; the
 * functions are named in lowerCamelCase.
 *
 * @param {object} root the instantiated exports.
 * @param {string} key `interface#name`, or `name` for a world-level function.
 * @returns {Function | null}
 */
export function exportedFunction(root, key) {
  const hash = key.lastIndexOf('#');
  let holder = root;
  if (hash >= 0) {
    const name = key.slice(0, hash);
    holder = Object.hasOwn(root, name) ? root[name] : null;
    if (holder == null && !name.includes(':')) {
      // An interface of the world itself (no package name) is known by its
      // name in lowerCamelCase.  One of a package is only ever looked up by
      // its full name: jco also gives it a short alias, which another
      // version of the same interface would answer to.
      const camel = lowerCamelCase(name);
      holder = Object.hasOwn(root, camel) ? root[camel] : null;
    }
    if (holder == null || typeof holder !== 'object') return null;
  }
  const fn_name = lowerCamelCase(key.slice(hash + 1));
  const fn = Object.hasOwn(holder, fn_name) ? holder[fn_name] : null;
  return typeof fn === 'function' ? fn : null;
}

/**
 * Checks that a type is one of protocol 2's, and builds its converter ahead
 * of the first call.
 *
 * @throws {ValueError} naming what is not a type.
 */
export function checkType(type) {
  converter(type);
}

function noRaw() {
  throw new ValueError('a null string, but no raw strings are expected here');
}

/** The converters of each type object, built once: a batch calls the same function hundreds of times. */
const converters = new WeakMap();

/** `{lower, lift}` for a type. */
function converter(type) {
  if (typeof type === 'string') {
    const scalar = SCALARS[type];
    if (scalar === undefined) throw new ValueError(`unknown type ${JSON.stringify(type)}`);
    return scalar;
  }
  let made = converters.get(type);
  if (made === undefined) {
    made = makeConverter(type);
    converters.set(type, made);
  }
  return made;
}

/** A short, printable form of a value for a message. */
function show(value) {
  let text;
  if (typeof value === 'bigint') text = `${value}n`;
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : String(value);
  else if (ArrayBuffer.isView(value)) text = `${value.constructor.name}(${value.length})`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function typeName(type) {
  return typeof type === 'string' ? type : Object.keys(type)[0];
}

function cannotLower(type, value) {
  return new ValueError(`cannot lower ${show(value)} as ${typeName(type)}`);
}

function cannotLift(type, value) {
  return new ValueError(`cannot lift ${show(value)} as ${typeName(type)}`);
}

/** Whether a string holds no lone surrogate, which no WIT string or char can. */
const isWellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (text) => text.isWellFormed()
  : (text) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/.test(text);

/** Whether a string is exactly one Unicode scalar value. */
function isChar(value) {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2) return false;
  const code = value.codePointAt(0);
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return value.length === (code > 0xffff ? 2 : 1);
}

/** The text of a float: the wire writes NaN and the infinities as strings, and -0 as `-0.0`. */
function floatText(value) {
  if (value !== value) return '"nan"';
  if (value === Infinity) return '"inf"';
  if (value === -Infinity) return '"-inf"';
  if (value === 0 && 1 / value < 0) return '-0.0';
  return String(value);
}

/** A float on the wire: a number, or `"nan"`, `"inf"` or `"-inf"`. */
function floatOf(type, json) {
  if (typeof json === 'number') return json;
  if (json === 'nan') return NaN;
  if (json === 'inf') return Infinity;
  if (json === '-inf') return -Infinity;
  throw cannotLower(type, json);
}

function intConverter(type, min, max) {
  return {
    lower(json) {
      if (!Number.isInteger(json) || json < min || json > max) throw cannotLower(type, json);
      // JSON's `-0` is the integer 0.
      return json + 0;
    },
    lift(value) {
      if (!Number.isInteger(value) || value < min || value > max) throw cannotLift(type, value);
      return String(value + 0);
    },
  };
}

function bigIntConverter(type, min, max) {
  return {
    lower(json) {
      if (typeof json !== 'string' || !/^-?[0-9]{1,20}$/.test(json)) throw cannotLower(type, json);
      const value = BigInt(json);
      if (value < min || value > max) throw cannotLower(type, json);
      return value;
    },
    lift(value) {
      if (typeof value !== 'bigint' || value < min || value > max) throw cannotLift(type, value);
      return `"${value}"`;
    },
  };
}

/** The converters of the scalar types. */
const SCALARS = {
  bool: {
    lower(json) {
      if (typeof json !== 'boolean') throw cannotLower('bool', json);
      return json;
    },
    lift(value) {
      if (value === true) return 'true';
      if (value === false) return 'false';
      throw cannotLift('bool', value);
    },
  },
  s8: intConverter('s8', -0x80, 0x7f),
  u8: intConverter('u8', 0, 0xff),
  s16: intConverter('s16', -0x8000, 0x7fff),
  u16: intConverter('u16', 0, 0xffff),
  s32: intConverter('s32', -0x80000000, 0x7fffffff),
  u32: intConverter('u32', 0, 0xffffffff),
  s64: bigIntConverter('s64', -(2n ** 63n), 2n ** 63n - 1n),
  u64: bigIntConverter('u64', 0n, 2n ** 64n - 1n),
  f32: {
    lower(json) {
      const value = floatOf('f32', json);
      // The wire writes an f32 as the f64 of the same value, so anything
      // else is a value that jco would round without a word.
      if (value === value && Math.fround(value) !== value) throw cannotLower('f32', json);
      return value;
    },
    lift(value) {
      if (typeof value !== 'number' || (value === value && Math.fround(value) !== value)) throw cannotLift('f32', value);
      return floatText(value);
    },
  },
  f64: {
    lower(json) {
      return floatOf('f64', json);
    },
    lift(value) {
      if (typeof value !== 'number') throw cannotLift('f64', value);
      return floatText(value);
    },
  },
  char: {
    lower(json) {
      if (!isChar(json)) throw cannotLower('char', json);
      return json;
    },
    lift(value) {
      if (!isChar(value)) throw cannotLift('char', value);
      return JSON.stringify(value);
    },
  },
  string: {
    lower(json, takeRaw) {
      if (json === null) return takeRaw();
      if (typeof json !== 'string' || !isWellFormed(json)) throw cannotLower('string', json);
      return json;
    },
    lift(value, pushRaw) {
      if (typeof value !== 'string') throw cannotLift('string', value);
      if (pushRaw === null) return JSON.stringify(value);
      pushRaw(value);
      return 'null';
    },
  },
};

/** The TypedArray jco takes and gives for a list of each numeric type. */
const TYPED_ARRAYS = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

/** Whether a value is a plain object (not null, not an array). */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether an object has exactly one own key. */
function hasOneKey(value) {
  let n_keys = 0;
  for (const key in value) {
    if (Object.hasOwn(value, key)) n_keys += 1;
  }
  return n_keys === 1;
}

/**
 * Whether `option<T>` (given `T`) is tagged in jco: where `T`'s own value may
 * be `undefined`, so that `some(none)` differs from `none`.  That is where `T`
 * is an untagged option, so the levels of nested options alternate:
 * `option<option<option<string>>>` is `undefined | {tag: 'none'} |
 * {tag: 'some', val: undefined | string}`.
 */
function isTaggedOption(payload) {
  return isOptionType(payload) && !isTaggedOption(payload.option);
}

function isOptionType(type) {
  return typeof type === 'object' && type !== null && Object.hasOwn(type, 'option');
}

function makeConverter(type) {
  if (!isObject(type) || !hasOneKey(type)) throw new ValueError(`not a type: ${show(type)}`);
  if (Object.hasOwn(type, 'list')) return listConverter(type, type.list);
  if (Object.hasOwn(type, 'option')) return optionConverter(type, type.option);
  if (Object.hasOwn(type, 'tuple')) return tupleConverter(type, type.tuple);
  if (Object.hasOwn(type, 'record')) return recordConverter(type, type.record);
  if (Object.hasOwn(type, 'variant')) return variantConverter(type, type.variant);
  if (Object.hasOwn(type, 'enum')) return enumConverter(type, type.enum);
  if (Object.hasOwn(type, 'flags')) return flagsConverter(type, type.flags);
  if (Object.hasOwn(type, 'result')) return resultConverter(type, type.result);
  throw new ValueError(`not a type: ${show(type)}`);
}

function listConverter(type, element_type) {
  const element = converter(element_type);
  const Typed = typeof element_type === 'string' && Object.hasOwn(TYPED_ARRAYS, element_type) ? TYPED_ARRAYS[element_type] : null;
  if (Typed !== null) {
    return {
      lower(json) {
        if (!Array.isArray(json)) throw cannotLower(type, json);
        const array = new Typed(json.length);
        for (let idx = 0; idx < json.length; idx++) array[idx] = element.lower(json[idx]);
        return array;
      },
      lift(value) {
        if (!(value instanceof Typed) && !Array.isArray(value)) throw cannotLift(type, value);
        let text = '[';
        for (let idx = 0; idx < value.length; idx++) {
          if (idx > 0) text += ',';
          text += element.lift(value[idx], null);
        }
        return `${text}]`;
      },
    };
  }
  return {
    lower(json, takeRaw) {
      if (!Array.isArray(json)) throw cannotLower(type, json);
      const array = new Array(json.length);
      for (let idx = 0; idx < json.length; idx++) array[idx] = element.lower(json[idx], takeRaw);
      return array;
    },
    lift(value, pushRaw) {
      if (!Array.isArray(value)) throw cannotLift(type, value);
      let text = '[';
      for (let idx = 0; idx < value.length; idx++) {
        if (idx > 0) text += ',';
        text += element.lift(value[idx], pushRaw);
      }
      return `${text}]`;
    },
  };
}

function optionConverter(type, payload_type) {
  const payload = converter(payload_type);
  const someOf = (json) => {
    if (!isObject(json) || !Object.hasOwn(json, 'some') || !hasOneKey(json)) throw cannotLower(type, json);
    return json.some;
  };
  if (isTaggedOption(payload_type)) {
    return {
      lower(json, takeRaw) {
        if (json === null) return { tag: 'none' };
        return { tag: 'some', val: payload.lower(someOf(json), takeRaw) };
      },
      lift(value, pushRaw) {
        if (!isObject(value)) throw cannotLift(type, value);
        if (value.tag === 'none') return 'null';
        if (value.tag !== 'some') throw cannotLift(type, value);
        return `{"some":${payload.lift(value.val, pushRaw)}}`;
      },
    };
  }
  return {
    lower(json, takeRaw) {
      if (json === null) return undefined;
      return payload.lower(someOf(json), takeRaw);
    },
    lift(value, pushRaw) {
      if (value === undefined || value === null) return 'null';
      return `{"some":${payload.lift(value, pushRaw)}}`;
    },
  };
}

function tupleConverter(type, element_types) {
  const elements = element_types.map(converter);
  return {
    lower(json, takeRaw) {
      if (!Array.isArray(json) || json.length !== elements.length) throw cannotLower(type, json);
      const array = new Array(elements.length);
      for (let idx = 0; idx < elements.length; idx++) array[idx] = elements[idx].lower(json[idx], takeRaw);
      return array;
    },
    lift(value, pushRaw) {
      if (!Array.isArray(value) || value.length !== elements.length) throw cannotLift(type, value);
      let text = '[';
      for (let idx = 0; idx < elements.length; idx++) {
        if (idx > 0) text += ',';
        text += elements[idx].lift(value[idx], pushRaw);
      }
      return `${text}]`;
    },
  };
}

function recordConverter(type, field_types) {
  const fields = field_types.map(({ name, type: field_type }) => ({
    name,
    camel: lowerCamelCase(name),
    key: JSON.stringify(name),
    convert: converter(field_type),
  }));
  return {
    lower(json, takeRaw) {
      if (!isObject(json)) throw cannotLower(type, json);
      const value = {};
      let n_found = 0;
      for (const field of fields) {
        if (!Object.hasOwn(json, field.name)) throw new ValueError(`cannot lower ${show(json)} as record: no field ${field.name}`);
        value[field.camel] = field.convert.lower(json[field.name], takeRaw);
        n_found += 1;
      }
      if (Object.keys(json).length !== n_found) throw new ValueError(`cannot lower ${show(json)} as record: a field it does not have`);
      return value;
    },
    lift(value, pushRaw) {
      if (!isObject(value)) throw cannotLift(type, value);
      let text = '{';
      for (let idx = 0; idx < fields.length; idx++) {
        const field = fields[idx];
        if (idx > 0) text += ',';
        text += `${field.key}:${field.convert.lift(value[field.camel], pushRaw)}`;
      }
      return `${text}}`;
    },
  };
}

function variantConverter(type, case_types) {
  const cases = new Map(case_types.map(({ name, type: case_type }) => [name, {
    // What the wire line starts with: the tag, and where there is a payload, `"val":`.
    head: case_type === null ? `{"tag":${JSON.stringify(name)}}` : `{"tag":${JSON.stringify(name)},"val":`,
    convert: case_type === null ? null : converter(case_type),
  }]));
  return {
    lower(json, takeRaw) {
      if (!isObject(json) || typeof json.tag !== 'string' || !cases.has(json.tag)) throw cannotLower(type, json);
      const { convert } = cases.get(json.tag);
      const n_keys = Object.keys(json).length;
      if (convert === null) {
        if (n_keys !== 1) throw new ValueError(`cannot lower ${show(json)} as variant: case ${json.tag} has no payload`);
        return { tag: json.tag };
      }
      if (n_keys !== 2 || !Object.hasOwn(json, 'val')) throw new ValueError(`cannot lower ${show(json)} as variant: case ${json.tag} needs a val`);
      return { tag: json.tag, val: convert.lower(json.val, takeRaw) };
    },
    lift(value, pushRaw) {
      const found = isObject(value) && typeof value.tag === 'string' ? cases.get(value.tag) : undefined;
      if (found === undefined) throw cannotLift(type, value);
      return found.convert === null ? found.head : `${found.head}${found.convert.lift(value.val, pushRaw)}}`;
    },
  };
}

function enumConverter(type, names) {
  const known = new Set(names);
  return {
    lower(json) {
      if (typeof json !== 'string' || !known.has(json)) throw cannotLower(type, json);
      return json;
    },
    lift(value) {
      if (typeof value !== 'string' || !known.has(value)) throw cannotLift(type, value);
      return JSON.stringify(value);
    },
  };
}

function flagsConverter(type, names) {
  const flags = names.map((name) => ({ name, camel: lowerCamelCase(name), text: JSON.stringify(name) }));
  const camel_of = new Map(flags.map(({ name, camel }) => [name, camel]));
  return {
    lower(json) {
      if (!Array.isArray(json)) throw cannotLower(type, json);
      const value = {};
      for (const flag of flags) value[flag.camel] = false;
      for (const name of json) {
        const camel = typeof name === 'string' ? camel_of.get(name) : undefined;
        if (camel === undefined) throw new ValueError(`cannot lower ${show(json)} as flags: no flag ${show(name)}`);
        value[camel] = true;
      }
      return value;
    },
    lift(value) {
      if (!isObject(value)) throw cannotLift(type, value);
      const set = [];
      for (const flag of flags) {
        if (value[flag.camel]) set.push(flag.text);
      }
      return `[${set.join(',')}]`;
    },
  };
}

function resultConverter(type, { ok: ok_type, err: err_type }) {
  const sides = {
    ok: ok_type === null ? null : converter(ok_type),
    err: err_type === null ? null : converter(err_type),
  };
  return {
    lower(json, takeRaw) {
      if (!isObject(json) || !hasOneKey(json)) throw cannotLower(type, json);
      const tag = Object.hasOwn(json, 'ok') ? 'ok' : Object.hasOwn(json, 'err') ? 'err' : null;
      if (tag === null) throw cannotLower(type, json);
      const side = sides[tag];
      if (side === null) {
        if (json[tag] !== null) throw new ValueError(`cannot lower ${show(json)} as result: ${tag} has no payload`);
        return { tag, val: undefined };
      }
      return { tag, val: side.lower(json[tag], takeRaw) };
    },
    lift(value, pushRaw) {
      if (!isObject(value) || (value.tag !== 'ok' && value.tag !== 'err')) throw cannotLift(type, value);
      return resultText(value.tag, sides[value.tag], value.val, pushRaw);
    },
  };
}

/** `{"ok": V}` or `{"err": V}`, `V` being `null` for a side without a payload. */
function resultText(tag, side, payload, pushRaw) {
  return `{"${tag}":${side === null ? 'null' : side.lift(payload, pushRaw)}}`;
}

/**
 * The text of what a function returned, for a function whose result type
 * is a `result`: jco hands back its ok payload and throws its err payload,
 * so the caller says which side it got.
 *
 * @param {{result: {ok: object|string|null, err: object|string|null}}} type
 * @param {'ok' | 'err'} tag
 * @param {unknown} payload
 * @param {(text: string) => void} [pushRaw]
 */
export function toWireResult(type, tag, payload, pushRaw = null) {
  const side = type.result[tag];
  return resultText(tag, side === null ? null : converter(side), payload, pushRaw);
}

/**
 * Reads the `probe` member of a protocol 2 call (docs/host-protocol.md,
 * "Probes: values outside their type"): `{"arg": i, "value": V}`.
 * A probe's value is built as a user of jco's bindings would write it,
 * with none of the checks of {@link fromWire}: that is its point.
 *
 * @param {unknown} probe the member, as `JSON.parse` gave it.
 * @returns {{arg: number, valueFor: (type: string | object) => unknown}}
 *   `arg` is the index of the parameter it replaces, and `valueFor(type)`
 *   builds the value for a parameter of that type (which decides only
 *   between a Number and a BigInt for `{"int": ...}`).
 * @throws {ValueError} when the probe is malformed: no index, or a value
 *   that is not one of the forms.
 */
export function parseProbe(probe) {
  if (!isObject(probe)) throw new ValueError(`a probe is {"arg": i, "value": V}, not ${show(probe)}`);
  const { arg, value: form } = probe;
  if (!Number.isSafeInteger(arg) || arg < 0) throw new ValueError(`a probe's arg is an index, not ${show(arg)}`);
  const malformed = (why) => new ValueError(`a probe's value ${show(form)}: ${why}`);
  if (!isObject(form) || !hasOneKey(form)) {
    throw malformed('expected one of {"int": "<decimal>"}, {"float": x}, {"code-points": [..]}, {"flags": [..]}, {"enum": name}');
  }
  const [kind, json] = Object.entries(form)[0];
  switch (kind) {
    case 'int': {
      if (typeof json !== 'string' || !/^-?[0-9]+$/.test(json)) throw malformed('an int is a string of decimal digits');
      // jco takes a BigInt for a 64-bit integer and a Number for any other
      // parameter; a Number of more than 53 bits is what the literal gives.
      return { arg, valueFor: (type) => (type === 's64' || type === 'u64' ? BigInt(json) : Number(json)) };
    }
    case 'float': {
      if (typeof json !== 'number') throw malformed('a float is a number');
      return { arg, valueFor: () => json };
    }
    case 'code-points': {
      if (!Array.isArray(json)) throw malformed('code-points is a list of code points');
      let text = '';
      for (const code of json) {
        if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) throw malformed(`${show(code)} is not a code point`);
        // A surrogate stands alone: fromCodePoint would take it as well, but
        // fromCharCode says what is meant, one UTF-16 unit.
        text += code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
      }
      return { arg, valueFor: () => text };
    }
    case 'flags': {
      if (!Array.isArray(json) || !json.every((name) => typeof name === 'string')) throw malformed('flags is a list of names');
      return {
        arg,
        valueFor: () => {
          // Only the names given, each set, whether the type has it or not.
          const value = {};
          for (const name of json) value[lowerCamelCase(name)] = true;
          return value;
        },
      };
    }
    case 'enum': {
      if (typeof json !== 'string') throw malformed('an enum is a case name');
      return { arg, valueFor: () => json };
    }
    default:
      throw malformed(`unknown form ${JSON.stringify(kind)}`);
  }
}
