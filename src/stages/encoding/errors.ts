import { defineErrors, type CodesOf } from '../../core/error-catalogue.js';

export const ENCODING_ERRORS = defineErrors('uses: encoding', {
  E_ENCODING_ARITY: { meaning: 'an encoding stage does not have exactly one dep and one out', hint: 'use one stage per file (foreach: can generate them)' },
  E_ENCODING_BOM_UNSUPPORTED: { meaning: '`bom: add` with a target that has no byte-order mark', hint: 'use bom: keep or remove, or a Unicode target' },
  E_ENCODING_UNSUPPORTED: { meaning: 'an unknown charset in `from:` or `to:`', hint: 'the message lists the supported ones', data: { encoding: 'string' } },
  E_ENCODING_BOM_MISMATCH: { meaning: 'the input starts with a byte-order mark that contradicts `from:`', hint: 'set `from:` to the BOM\'s charset, or auto', data: { file: 'string', line: 'number', byteOffset: 'number', bom: 'string', from: 'string' } },
  E_ENCODING_INVALID: {
    meaning: 'the input has byte sequences the `from:` charset cannot decode (every one counted, the first ones listed; nothing written)',
    hint: 'check `from:` (or use auto), or set on_invalid: replace / drop-line',
    data: { file: 'string', line: 'number', byteOffset: 'number', bytes: 'string', count: 'number', findings: 'json' },
  },
  E_ENCODING_UNENCODABLE: {
    meaning: 'the input has characters the `to:` charset cannot encode (nothing written)',
    hint: 'choose a target that has them (utf-8), or set on_invalid: replace / drop-line',
    data: { file: 'string', line: 'number', byteOffset: 'number', bytes: 'string', count: 'number', findings: 'json' },
  },
});

declare module '../../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof ENCODING_ERRORS> {}
}
