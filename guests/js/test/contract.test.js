// The formatter against contracts/json-tools/contract.md, clause by clause: table-driven
// cases for the offset rules (both example tables of the "Errors" section
// included), the layout, sort-keys, the options and the verbatim tokens.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { FormatError, format, minify, sortableKey, utf8Length } from '../src/jsonfmt.js';

/** Every function that validates: each must report the same offset. */
const VALIDATORS = [
  ['minify', (input) => minify(input)],
  ['format', (input) => format(input)],
  ['format indent 4 sorted', (input) => format(input, { indent: 4, sortKeys: true })],
  ['format indent 0', (input) => format(input, { indent: 0, sortKeys: false })],
];

/**
 * Checks that every validator refuses `input` with `at byte N: `.
 *
 * @param {string} input
 * @param {number} offset
 */
function checkError(input, offset) {
  for (const [name, call] of VALIDATORS) {
    let error;
    try {
      const out = call(input);
      assert.fail(`${name} accepted ${JSON.stringify(input).slice(0, 200)} as ${JSON.stringify(out).slice(0, 200)}`);
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof FormatError, `${name}: ${error}`);
    assert.equal(error.offset, offset, `${name}(${JSON.stringify(input).slice(0, 200)}): ${error.message}`);
    assert.ok(error.message.startsWith(`at byte ${offset}: `), `${name}: message ${JSON.stringify(error.message)}`);
    assert.ok(error.message.length > `at byte ${offset}: `.length, `${name}: no text after the prefix`);
  }
}

const repeat = (text, count) => text.repeat(count);

// [name, input, N]: the examples of issue #2, the table of contracts/json-tools/contract.md.
const ISSUE_EXAMPLES = [
  ['`[1,]`', '[1,]', 3],
  ['`01`', '01', 1],
  ['`1.`', '1.', 2],
  ['`"\\x"`', '"\\x"', 2],
  ['`""` followed by a space and `x`', '"" x', 3],
  ['empty input', '', 0],
];

// The second table of contracts/json-tools/contract.md, which follows from the clarifications.
const CLARIFIED_EXAMPLES = [
  ['`-01`', '-01', 2],
  ['`-`', '-', 1],
  ['`-a`', '-a', 1],
  ['`1.e5`', '1.e5', 2],
  ['`"\\u12G4"`', '"\\u12G4"', 5],
  ['`"\\uDC00"`', '"\\uDC00"', 1],
  ['`"\\uDCZZ"`', '"\\uDCZZ"', 1],
  ['`"\\uD800"`', '"\\uD800"', 1],
  ['`"\\uD800\\u0041"`', '"\\uD800\\u0041"', 1],
  ['`"\\uD800`', '"\\uD800', 1],
  ['`"\\uD80`', '"\\uD80', 6],
  ['257 `[` then 257 `]`', repeat('[', 257) + repeat(']', 257), 256],
  ['U+FEFF then `{}`', '\uFEFF{}', 0],
  ['a space, then U+FEFF, then `{}`', ' \uFEFF{}', 1],
];

// Every example in the bullet points of "How the rule applies", in order,
// then more cases for each clause of "Accepted input".
const CLAUSE_CASES = [
  // Offsets count bytes.
  ['é alone', 'é', 0],
  ['["é",é]', '["é",é]', 6],
  ['a four-byte character before the error', '["😀",x]', 8],
  ['a three-byte character before the error', '["€" x]', 7],
  ['a raw U+FFFF before the error', '"\uFFFF" x', 6],
  ['an astral character as the error', '[😀]', 1],
  ['a control character after non-ASCII', '"é\u0001"', 3],

  // A character that cannot appear there.
  ['[1 2]', '[1 2]', 3],
  ['{"a" 1}', '{"a" 1}', 5],
  ['[}', '[}', 1],
  ['{"a":1]', '{"a":1]', 6],
  ['a tab inside a string', '"a\tb"', 2],
  ['single quotes', "'a'", 0],
  ['an unquoted key', '{a:1}', 1],
  ['a number key', '{1:1}', 1],
  ['a block comment', '[1,/*x*/2]', 3],
  ['a line comment', '1 // x', 2],
  ['a colon in an array', '[1:2]', 2],
  ['a comma in place of a colon', '{"a",1}', 4],

  // A control character inside a string.
  ['a raw LF inside a string', '"a\n"', 2],
  ['NUL inside a string', '"\u0000"', 1],
  ['U+001F inside a string', '"\u001f"', 1],
  ['CR inside a key', '{"a\r":1}', 3],

  // A bad escape.
  ['`"\\x"`', '"\\x"', 2],
  ['`"\\U0041"`', '"\\U0041"', 2],
  ["`\"\\'\"`", "\"\\'\"", 2],
  ['an escaped space', '"\\ "', 2],
  ['a backslash at the end of the input', '"\\', 2],
  ['an escaped raw LF', '"\\\n"', 2],

  // A \u escape with a non-hex digit.
  ['`"\\u12G4"`', '"\\u12G4"', 5],
  ['`"\\uGGGG"`', '"\\uGGGG"', 3],
  ['`"\\u12"`', '"\\u12"', 5],
  ['a non-ASCII digit', '"\\u00é0"', 5],

  // Leading zeros.
  ['`01`', '01', 1],
  ['`-01`', '-01', 2],
  ['`00`', '00', 1],
  ['`[01]`', '[01]', 2],
  ['-00.5', '-00.5', 2],

  // A number missing digits.
  ['`-`', '-', 1],
  ['`1.`', '1.', 2],
  ['`1e`', '1e', 2],
  ['`1e+`', '1e+', 3],
  ['`1E-`', '1E-', 3],
  ['`-a`', '-a', 1],
  ['`1.e5`', '1.e5', 2],
  ['`[1.]`', '[1.]', 3],
  ['`-Infinity`', '-Infinity', 1],
  ['1ex', '1ex', 2],
  ['1e-x', '1e-x', 3],
  ['1e+-1', '1e+-1', 3],
  ['a minus in an array', '[-]', 2],
  ['a fraction in a member', '{"a":1.}', 7],

  // A number's first byte.
  ['`.5`', '.5', 0],
  ['`+1`', '+1', 0],
  ['Infinity', 'Infinity', 0],

  // Literals.
  ['`tru`', 'tru', 3],
  ['`trUe`', 'trUe', 2],
  ['`nan`', 'nan', 1],
  ['`NaN`', 'NaN', 0],
  ['fals', 'fals', 4],
  ['nul', 'nul', 3],
  ['True', 'True', 0],
  ['a literal in an array', '[nulL]', 4],

  // Trailing content.
  ['`""` then a space and `x`', '"" x', 3],
  ['`1 2`', '1 2', 2],
  ['`{}}`', '{}}', 2],
  ['`truex`', 'truex', 4],
  ['`1x`', '1x', 1],
  ['`0x1F`', '0x1F', 1],
  ['1.5.', '1.5.', 3],
  ['1e5.', '1e5.', 3],
  ['1e5e', '1e5e', 3],
  ['a second value after whitespace', '[] \n []', 5],

  // Trailing commas.
  ['`[1,]`', '[1,]', 3],
  ['`{"a":1,}`', '{"a":1,}', 7],
  ['a leading comma', '[,1]', 1],
  ['a double comma', '[1,,2]', 3],
  ['an empty member', '{,}', 1],

  // Empty and whitespace-only input.
  ['empty input', '', 0],
  ['three spaces', '   ', 3],
  ['every kind of whitespace', ' \t\r\n', 4],

  // Truncated documents.
  ['`[1,`', '[1,', 3],
  ['`{"a":`', '{"a":', 5],
  ['`"abc`', '"abc', 4],
  ['`"\\u00`', '"\\u00', 5],
  ['[', '[', 1],
  ['{', '{', 1],
  ['{ then a space', '{ ', 2],
  ['a key with no colon', '{"a"', 4],
  ['a member with no closer', '{"a":1', 6],
  ['an array with no closer', '[1', 2],
  ['a truncated string after non-ASCII', '"é', 3],
  ['a truncated key', '{"ab', 4],

  // A lone low surrogate escape.
  ['`"\\uDC00"`', '"\\uDC00"', 1],
  ['`"\\uDCZZ"`', '"\\uDCZZ"', 1],
  ['`"\\uDC`', '"\\uDC', 1],
  ['`"a\\udfff"`', '"a\\udfff"', 2],
  ['`"\\uDC00\\uD800"`', '"\\uDC00\\uD800"', 1],
  ['a lone low surrogate after a pair', '"\\uD83D\\uDE00\\uDE00"', 13],
  ['`"\\uDE`', '"\\uDE', 1],
  ['`"\\udF` in lower case', '"\\udF', 1],
  ['not yet a low surrogate', '"\\uD', 4],
  ['D then a non-hex digit', '"\\uDZ"', 4],
  ['a lone low surrogate in a key', '{"\\uDC00":1}', 2],
  ['a lone low surrogate after non-ASCII', '"é\\uDC00"', 3],

  // A high surrogate escape not followed by a low one.
  ['`"\\uD800"`', '"\\uD800"', 1],
  ['`"\\uD800x"`', '"\\uD800x"', 1],
  ['`"\\uD800\\n"`', '"\\uD800\\n"', 1],
  ['`"\\uD800\\u0041"`', '"\\uD800\\u0041"', 1],
  ['`"\\uD800\\uD800"`', '"\\uD800\\uD800"', 1],
  ['`"\\uD800\\uE000"`', '"\\uD800\\uE000"', 1],
  ['`"\\uD800\\uDCZZ"`', '"\\uD800\\uDCZZ"', 1],
  ['a high surrogate then `\\U`', '"\\uD800\\UDC00"', 1],
  ['a lower-case high surrogate alone', '"\\udbff"', 1],
  ['a high surrogate then a raw astral character', '"\\uD800😀"', 1],
  ['a high surrogate in a key', '{"\\uD800":1}', 2],
  ['a high surrogate after a raw astral character', '"😀\\uDBFF"', 5],

  // The input ends after a high surrogate escape.
  ['`"\\uD800`', '"\\uD800', 1],
  ['`"\\uD800\\`', '"\\uD800\\', 1],
  ['`"\\uD800\\uDC`', '"\\uD800\\uDC', 1],
  ['`"\\uD800\\uDC0`', '"\\uD800\\uDC0', 1],
  ['`"\\uD80`', '"\\uD80', 6],
  ['`"\\uD8`', '"\\uD8', 5],

  // Depth 257.
  ['257 `[` with nothing after them', repeat('[', 257), 256],
  ['256 `[` with nothing after them', repeat('[', 256), 256],
  ['257 nested `{"a":`', repeat('{"a":', 257), 1280],
  ['an empty array at depth 257', repeat('[', 256) + '[]' + repeat(']', 256), 256],
  ['an empty object at depth 257', repeat('[', 256) + '{}' + repeat(']', 256), 256],
  ['arrays and objects alike', repeat('[{"a":', 128) + '[' + repeat('}]', 128), 128 * 6],
  ['depth 257 after whitespace', repeat('[ ', 257), 512],

  // BOM.
  ['a BOM alone', '\uFEFF', 0],
  ['a BOM then a scalar', '\uFEFF1', 0],
  ['a BOM then garbage', '\uFEFF}', 0],
  ['a space, U+FEFF and 1', ' \uFEFF1', 1],
  ['U+FEFF after a value', '1\uFEFF', 1],

  // Whitespace outside the four allowed characters.
  ['a form feed', '\f1', 0],
  ['a vertical tab', '\v1', 0],
  ['U+00A0', '\u00a01', 0],
  ['U+2028 before a value', '[\u20281]', 1],
  ['U+2029 after a value', '1\u2029', 1],
];

describe('error offsets', () => {
  for (const [table, cases] of [
    ['the examples of issue #2', ISSUE_EXAMPLES],
    ['the examples that follow from the clarifications', CLARIFIED_EXAMPLES],
    ['the clauses of "Accepted input" and "How the rule applies"', CLAUSE_CASES],
  ]) {
    describe(table, () => {
      for (const [name, input, offset] of cases) {
        test(`${name} gives ${offset}`, () => checkError(input, offset));
      }
    });
  }
});

// [name, input, minified, formatted with indent 2]
const OK_CASES = [
  ['a top-level number', '1', '1', '1'],
  ['a top-level string with whitespace around', ' \t\r\n"a b"\n ', '"a b"', '"a b"'],
  ['literals', '[true,false,null]', '[true,false,null]', '[\n  true,\n  false,\n  null\n]'],
  [
    'numbers verbatim',
    '[1.0, -0, 1E+2, 1e400, 0.05, 1e05, 1E-007, -0.0e-0, 0, -1.5E+10]',
    '[1.0,-0,1E+2,1e400,0.05,1e05,1E-007,-0.0e-0,0,-1.5E+10]',
    '[\n  1.0,\n  -0,\n  1E+2,\n  1e400,\n  0.05,\n  1e05,\n  1E-007,\n  -0.0e-0,\n  0,\n  -1.5E+10\n]',
  ],
  ['a hundred-digit integer', repeat('9', 100), repeat('9', 100), repeat('9', 100)],
  [
    'escapes verbatim',
    '"\\u00e9\\/\\"\\\\\\b\\f\\n\\r\\t\\uD83D\\ude00\\u00E9"',
    '"\\u00e9\\/\\"\\\\\\b\\f\\n\\r\\t\\uD83D\\ude00\\u00E9"',
    '"\\u00e9\\/\\"\\\\\\b\\f\\n\\r\\t\\uD83D\\ude00\\u00E9"',
  ],
  [
    'raw non-ASCII, DEL, U+2028, U+2029, U+FFFF and U+FEFF in a string',
    '"é\u007f\u2028\u2029\uffff\ufeff😀"',
    '"é\u007f\u2028\u2029\uffff\ufeff😀"',
    '"é\u007f\u2028\u2029\uffff\ufeff😀"',
  ],
  ['mixed-case hex digits', '"\\uaBcD"', '"\\uaBcD"', '"\\uaBcD"'],
  ['a surrogate pair in lower case', '"\\ud83d\\ude00"', '"\\ud83d\\ude00"', '"\\ud83d\\ude00"'],
  ['the highest surrogate pair', '"\\uDBFF\\uDFFF"', '"\\uDBFF\\uDFFF"', '"\\uDBFF\\uDFFF"'],
  ['a non-surrogate D escape', '"\\uD7FF\\uE000"', '"\\uD7FF\\uE000"', '"\\uD7FF\\uE000"'],
  ['empty containers with whitespace inside', '[ [ \n ] , { \t } ]', '[[],{}]', '[\n  [],\n  {}\n]'],
  ['an empty array', '[]', '[]', '[]'],
  ['an empty object', '{\r\n}', '{}', '{}'],
  ['duplicate keys kept in order', '{"a":1,"a":2}', '{"a":1,"a":2}', '{\n  "a": 1,\n  "a": 2\n}'],
  [
    'the format example of the contract',
    '{"a":[1,{}],"b":{"c":null}}',
    '{"a":[1,{}],"b":{"c":null}}',
    '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": {\n    "c": null\n  }\n}',
  ],
  [
    'the minify example of the contract',
    '{ "b" : [ 1 , { } ] , "a" : "x y" }',
    '{"b":[1,{}],"a":"x y"}',
    '{\n  "b": [\n    1,\n    {}\n  ],\n  "a": "x y"\n}',
  ],
  ['structural characters inside a string', '["[{,:}]"]', '["[{,:}]"]', '[\n  "[{,:}]"\n]'],
  ['a U+FEFF inside a string at byte 1', '"\uFEFF"', '"\uFEFF"', '"\uFEFF"'],
  ['CR LF between tokens', '[1,\r\n2]', '[1,2]', '[\n  1,\n  2\n]'],
  [
    'depth 256',
    repeat('[', 256) + repeat(']', 256),
    repeat('[', 256) + repeat(']', 256),
    repeat('[', 255).split('').map((bracket, depth) => bracket + '\n' + ' '.repeat((depth + 1) * 2)).join('') +
      '[]' +
      Array.from({ length: 255 }, (_, idx) => '\n' + ' '.repeat((254 - idx) * 2) + ']').join(''),
  ],
];

describe('accepted documents', () => {
  for (const [name, input, minified, formatted] of OK_CASES) {
    test(name, () => {
      assert.equal(minify(input), minified);
      assert.equal(format(input), formatted);
      assert.equal(format(input, null), formatted);
      assert.equal(format(input, { indent: 2, sortKeys: false }), formatted);
    });
  }
});

describe('format layout and options', () => {
  const input = '{"b":[1,{"d":true}],"a":{}}';
  const spaces = (count) => ' '.repeat(count);
  const cases = [
    ['none is indent 2, unsorted', undefined, '{\n  "b": [\n    1,\n    {\n      "d": true\n    }\n  ],\n  "a": {}\n}'],
    ['indent 0 keeps the newlines', { indent: 0, sortKeys: false }, '{\n"b": [\n1,\n{\n"d": true\n}\n],\n"a": {}\n}'],
    ['indent 1, sorted', { indent: 1, sortKeys: true }, '{\n "a": {},\n "b": [\n  1,\n  {\n   "d": true\n  }\n ]\n}'],
    [
      'indent 16',
      { indent: 16, sortKeys: false },
      `{\n${spaces(16)}"b": [\n${spaces(32)}1,\n${spaces(32)}{\n${spaces(48)}"d": true\n${spaces(32)}}\n` +
        `${spaces(16)}],\n${spaces(16)}"a": {}\n}`,
    ],
  ];
  for (const [name, options, want] of cases) {
    test(name, () => assert.equal(format(input, options), want));
  }

  test('the contract example with indent 0', () => {
    assert.equal(format('{"a":[1,{}],"b":{"c":null}}', { indent: 0, sortKeys: false }), '{\n"a": [\n1,\n{}\n],\n"b": {\n"c": null\n}\n}');
  });

  test('no trailing newline and no CR', () => {
    const out = format('{\r\n "a" : [ 1 ]\r\n}\r\n');
    assert.equal(out, '{\n  "a": [\n    1\n  ]\n}');
  });

  test('depth 256 with indent 16', () => {
    const input = repeat('[', 256) + '1' + repeat(']', 256);
    let want = '';
    for (let depth = 0; depth < 256; depth++) want += '[\n' + spaces((depth + 1) * 16);
    want += '1';
    for (let depth = 255; depth >= 0; depth--) want += '\n' + spaces(depth * 16) + ']';
    assert.equal(format(input, { indent: 16, sortKeys: false }), want);
    assert.equal(minify(input), input);
  });

  test('256 nested objects, sorted', () => {
    const input = repeat('{"b":1,"a":', 256) + '2' + repeat('}', 256);
    const want = repeat('{"a":', 256) + '2' + repeat(',"b":1}', 256);
    assert.equal(minify(format(input, { indent: 3, sortKeys: true })), want);
  });

  test('runs of spaces of every length up to 4,100 and beyond', () => {
    // skipSpaces measures runs in pieces of 4, 8, ... 4096: every length
    // must land on the first character after the run.
    const lengths = [];
    for (let length = 0; length <= 300; length++) lengths.push(length);
    for (let length = 4; length <= 8192; length *= 2) lengths.push(length - 1, length + 1, length + 3, length * 3 - 1);
    for (const length of lengths) {
      const run = spaces(length);
      assert.equal(minify(`[${run}1${run},${run}\t${run}2${run}]`), '[1,2]', `run of ${length}`);
      checkError(`[1,${run}x]`, 3 + length);
      checkError(`[1,\n${run}\u000b]`, 4 + length);
      checkError(`{${run}"a"${run}:${run}1${run}`, 6 + 4 * length);
    }
  });

  test('formatted deep documents format and minify again', () => {
    const input = repeat('{"b":[1,"x"],"a":[', 128) + 'true' + repeat(']}', 128);
    for (const indent of [0, 1, 2, 7, 16]) {
      for (const sortKeys of [false, true]) {
        const once = format(input, { indent, sortKeys });
        assert.equal(format(once, { indent, sortKeys }), once, `indent ${indent}, sort-keys ${sortKeys}`);
        if (!sortKeys) assert.equal(minify(once), input);
      }
    }
  });

  test('257 nested objects are refused, sorted too', () => {
    checkError(repeat('{"a":', 256) + '{}' + repeat('}', 256), 1280);
  });
});

describe('invalid options', () => {
  for (const input of ['{}', '', '[1,]', '\uFEFF', 'x']) {
    for (const indent of [17, 100, 2 ** 31, 2 ** 32 - 1]) {
      test(`indent ${indent} with ${JSON.stringify(input)}`, () => {
        assert.throws(
          () => format(input, { indent, sortKeys: indent % 2 === 0 }),
          (error) => error instanceof FormatError && error.message.startsWith('invalid options: ') && error.offset === undefined,
        );
      });
    }
  }

  test('indent 16 is accepted', () => {
    assert.equal(format('[1]', { indent: 16, sortKeys: false }), `[\n${' '.repeat(16)}1\n]`);
  });
});

describe('sort-keys', () => {
  // [name, input, the minified form of the sorted output]
  const cases = [
    ['simple', '{"b":1,"a":2,"c":3}', '{"a":2,"b":1,"c":3}'],
    ['stable for duplicates', '{"b":1,"a":2,"b":3,"a":4}', '{"a":2,"a":4,"b":1,"b":3}'],
    ['escaped equals unescaped, stable', '{"b":0,"\\u0061":1,"a":2,"\\u0061":3}', '{"\\u0061":1,"a":2,"\\u0061":3,"b":0}'],
    ['an escaped slash equals a slash', '{"/":1,"\\/":2,".":3}', '{".":3,"/":1,"\\/":2}'],
    ['decoded order, not byte order', '{"\\u007a":1,"b":2}', '{"b":2,"\\u007a":1}'],
    ['code-point order, not UTF-16 order', '{"😀":1,"｡":2}', '{"｡":2,"😀":1}'],
    ['code-point order with escapes', '{"\\uD83D\\uDE00":1,"\\uFF61":2}', '{"\\uFF61":2,"\\uD83D\\uDE00":1}'],
    ['escaped and raw astral characters', '{"\\uD83D\\uDE00":1,"｡":2,"😁":3,"😀":4}', '{"｡":2,"\\uD83D\\uDE00":1,"😀":4,"😁":3}'],
    ['U+E000 and U+FFFF against astral characters', '{"\\uDBFF\\uDFFF":1,"\uffff":2,"\ue000":3,"\ud7ff":4}', '{"\ud7ff":4,"\ue000":3,"\uffff":2,"\\uDBFF\\uDFFF":1}'],
    ['an astral character against U+FFFF later in the key', '{"a😀":1,"a\uffff":2}', '{"a\uffff":2,"a😀":1}'],
    ['the empty key first, a prefix first', '{"ab":1,"a":2,"":3}', '{"":3,"a":2,"ab":1}'],
    ['control escapes', '{"\\n":1,"\\t":2,"\\u0000":3,"\\b":4,"\\f":5,"\\r":6}', '{"\\u0000":3,"\\b":4,"\\t":2,"\\n":1,"\\f":5,"\\r":6}'],
    ['a quote and a backslash', '{"\\\\":1,"\\"":2,"#":3}', '{"\\"":2,"#":3,"\\\\":1}'],
    ['upper-case hex equals lower-case hex', '{"\\u00E9":1,"é":2,"\\u00e9":3,"e":4}', '{"e":4,"\\u00E9":1,"é":2,"\\u00e9":3}'],
    ['nested objects, inside arrays too', '{"z":[{"y":1,"x":2},{"b":{"d":1,"c":2}}],"a":0}', '{"a":0,"z":[{"x":2,"y":1},{"b":{"c":2,"d":1}}]}'],
    ['arrays keep their order', '[3,1,2]', '[3,1,2]'],
    ['already sorted', '{"a":1,"b":{"c":1,"d":2}}', '{"a":1,"b":{"c":1,"d":2}}'],
    ['empty containers as values', '{"b":{},"a":[]}', '{"a":[],"b":{}}'],
    ['a single member', '{"a":{"c":1,"b":2}}', '{"a":{"b":2,"c":1}}'],
    ['values are copied verbatim', '{"b":"\\u00e9 \\/","a":1E+2}', '{"a":1E+2,"b":"\\u00e9 \\/"}'],
  ];
  for (const [name, input, want] of cases) {
    test(name, () => {
      for (const indent of [0, 2, 7]) {
        const out = format(input, { indent, sortKeys: true });
        assert.equal(minify(out), want, `indent ${indent}`);
        assert.equal(out, format(want, { indent, sortKeys: false }), `indent ${indent}`);
      }
    });
  }

  test('minify never sorts', () => {
    assert.equal(minify('{"b":1,"a":2}'), '{"b":1,"a":2}');
  });

  test('format without sort-keys keeps input order', () => {
    assert.equal(minify(format('{"b":1,"a":2}', { indent: 2, sortKeys: false })), '{"b":1,"a":2}');
  });
});

describe('helpers', () => {
  test('utf8Length counts UTF-8 bytes', () => {
    for (const text of ['', 'a', 'é', '€', '😀', 'aé€😀\uffff\u0080\u07ff\u0800']) {
      assert.equal(utf8Length(text, text.length), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
    }
  });

  test('sortableKey orders decoded keys by code point', () => {
    // Keys written raw and escaped, from every UTF-16 range that matters:
    // ASCII, the BMP below the surrogates, U+E000-U+FFFF and astral.
    const scalars = [0x00, 0x22, 0x2f, 0x5c, 0x61, 0x7f, 0xe9, 0x7ff, 0xd7ff, 0xe000, 0xff61, 0xffff, 0x10000, 0x1f600, 0x10ffff];
    const escape = (scalar) =>
      scalar >= 0x10000
        ? [...String.fromCodePoint(scalar)].map((unit) => `\\u${unit.charCodeAt(0).toString(16).toUpperCase()}`).join('')
        : `\\u${scalar.toString(16).padStart(4, '0')}`;
    const spell = (scalar, escaped) =>
      escaped || scalar < 0x20 || scalar === 0x22 || scalar === 0x5c ? escape(scalar) : String.fromCodePoint(scalar);
    let seed = 1;
    const random = (bound) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % bound;
    };
    const keys = [];
    for (let idx = 0; idx < 300; idx++) {
      const decoded = Array.from({ length: random(4) }, () => scalars[random(scalars.length)]);
      const raw = decoded.map((scalar) => spell(scalar, random(2) === 1)).join('');
      keys.push({ decoded, raw });
    }
    const reference = (left, right) => {
      for (let idx = 0; idx < Math.min(left.length, right.length); idx++) {
        if (left[idx] !== right[idx]) return left[idx] - right[idx];
      }
      return left.length - right.length;
    };
    for (const left of keys) {
      for (const right of keys) {
        const [leftKey, rightKey] = [sortableKey(left.raw), sortableKey(right.raw)];
        const got = leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
        assert.equal(got, Math.sign(reference(left.decoded, right.decoded)), `${left.raw} vs ${right.raw}`);
      }
    }
  });
});
