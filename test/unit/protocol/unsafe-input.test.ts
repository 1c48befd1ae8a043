// The event schema of contract section 2: keys that could pollute a prototype, and the limits
// on data depth and size.
import { describe, expect, it } from 'vitest';
import { checkEvent, LIMITS } from '../../../protocol';
import { base, fromJson, nested, problemOf } from './helpers';

describe('checkEvent: unsafe keys and depth', () => {
  const json = (extra: string) => JSON.stringify(base()).replace(/^\{/, `{${extra},`);

  it('rejects __proto__, constructor and prototype at top level', () => {
    expect(problemOf(checkEvent(fromJson(json('"__proto__":{"polluted":true}'))))?.field).toBe('__proto__');
    expect(problemOf(checkEvent(base({ constructor: 'x' })))?.field).toBe('constructor');
    expect(problemOf(checkEvent(base({ prototype: {} })))?.field).toBe('prototype');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects constructor and prototype keys in data, naming the path', () => {
    expect(problemOf(checkEvent(base({ data: { constructor: { prototype: 1 } } })))?.field).toBe('data.constructor');
    expect(problemOf(checkEvent(base({ data: { prototype: 1 } })))?.field).toBe('data.prototype');
    expect(problemOf(checkEvent(base({ data: { a: { b: { constructor: 1 } } } })))?.field).toBe('data.a.b.constructor');
    expect(problemOf(checkEvent(base({ data: { list: [{ ok: 1 }, { constructor: 1 }] } })))?.field).toBe('data.list[1].constructor');
  });

  it('rejects __proto__ nested inside data, naming the path', () => {
    const p = problemOf(checkEvent(fromJson(json('"data":{"cart":{"__proto__":{"isAdmin":true}}}'))));
    expect(p?.field).toBe('data.cart.__proto__');
  });

  it('rejects __proto__ directly in data, naming data.__proto__', () => {
    // docs/identification.md: keys such as __proto__ are rejected with the field named.
    const r = checkEvent(fromJson(json('"data":{"__proto__":{"isAdmin":true},"k":1}')));
    expect(problemOf(r)?.field).toBe('data.__proto__');
  });

  it('an own __proto__ key in data never reaches the data prototype', () => {
    const r = checkEvent(fromJson(json('"eventName":"SignIn","data":{"__proto__":{"userId":"admin"}}').replace('"eventName":"VisitStarted",', '')));
    expect(r.ok).toBe(false);
    if (r.ok) expect((r.event.data as Record<string, unknown>).userId).toBeUndefined();
  });

  it(`accepts data nested ${LIMITS.dataDepth} levels deep and rejects ${LIMITS.dataDepth + 1}`, () => {
    expect(LIMITS.dataDepth).toBe(16);
    expect(checkEvent(base({ data: nested(16) })).ok).toBe(true);
    const p = problemOf(checkEvent(base({ data: nested(17) })));
    expect(p?.field).toBe('data' + '.a'.repeat(16));
    expect(p?.reason).toContain('16');
    const deeper = problemOf(checkEvent(base({ data: nested(40) })));
    expect(deeper?.field).toBe('data' + '.a'.repeat(16));
  });

  it('counts arrays as levels too', () => {
    let inner: unknown = 'leaf';
    for (let i = 1; i < 17; i++) inner = [inner];
    expect(problemOf(checkEvent(base({ data: { x: inner } })))?.field).toBe('data.x' + '[0]'.repeat(15));
  });

  it(`rejects data with more than ${LIMITS.dataKeys} keys in one object`, () => {
    const many: Record<string, number> = {};
    for (let i = 0; i <= LIMITS.dataKeys; i++) many[`k${i}`] = i;
    expect(problemOf(checkEvent(base({ data: { many } })))?.field).toBe('data.many');
  });
});
