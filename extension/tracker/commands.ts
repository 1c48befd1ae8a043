// Parses one `_gt.push` argument into what the tracker must do (contract section 1). Pure: no
// DOM, no cookies; every way a command can be wrong becomes a `rejected` with a reason a
// tester can act on, never an exception.
import { TRACKER_ONLY, TRANSITIONS, type IdentityEventName } from '../../protocol/event-names';
import { missingIdentifier, nonEmptyString } from '../../protocol/identifiers';
import { LOGGED } from './build-flags';

export interface TrackerConfig {
  httpEndpoint?: string;
  httpsEndpoint?: string;
  dslResource?: string;
  debug?: boolean;
  languageCode?: string;
}

export type Command =
  | {
      kind: 'event';
      form: string;
      eventType: 'SYSTEM' | 'BUSINESS';
      eventName: string;
      data: Record<string, unknown>;
      /** Sent, but GWE could not use all of it (a SignIn naming no one, options without `data`). */
      warning?: string;
    }
  | { kind: 'config'; form: string; config: TrackerConfig }
  | { kind: 'getIDs'; form: string; callback: (ids: object) => void }
  | { kind: 'rejected'; form?: string; reason: string };

// What a name means (identity event, sent by the tracker only) is protocol/event-names.ts's.
/** The identity event a `send` alias names (sendSignIn: SignIn), or undefined. */
const aliased = (name: string): IdentityEventName | undefined => {
  const target = name.slice(4);
  return name.startsWith('send') && TRANSITIONS[target] ? (target as IdentityEventName) : undefined;
};
const COMMANDS = 'event, config, getIDs, sendSignIn, sendSignOut, sendUserInfo';

const reject = (reason: string, form?: string): Command => ({ kind: 'rejected', form, reason });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}


/** The data as JSON would carry it: cycles and BigInts cannot be sent, so they reject. */
function jsonData(data: Record<string, unknown>): Record<string, unknown> | string {
  try {
    return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  } catch (e) {
    return `data cannot be sent as JSON (${(e as Error).message})`;
  }
}

function eventCommand(form: string, eventType: 'SYSTEM' | 'BUSINESS', eventName: string, data: unknown, warning?: string): Command {
  if (data === undefined) data = {};
  if (!isPlainObject(data)) return reject('the event data must be an object', form);
  const clean = jsonData(data);
  if (typeof clean === 'string') return reject(clean, form);
  // As strict as GWE, no stricter (contract section 1): GWE sends a SignIn naming no one, and
  // stores it; it identifies no one, which the tester should see.
  // Ternaries, not ifs: esbuild folds them away in GPE.min.js, which gives no warnings.
  const missing = LOGGED ? missingIdentifier(eventName, clean) : null;
  if (missing) warning = `${eventName} without ${missing.join(' or ')}: sent, but it identifies no one`;
  const cmd: Command = { kind: 'event', form, eventType, eventName, data: clean };
  if (warning) cmd.warning = warning;
  return cmd;
}

/**
 * `{ data: {...} }`: the 8.5 options object. Sites also push the fields without the wrapper
 * (`['event', 'AddToCart', { productName }]`), which GWE's tracker sends: those fields are the data.
 */
function wrappedData(options: unknown, form: string): { data: unknown; warning?: string } | Command {
  if (options === undefined) return { data: {} };
  if (!isPlainObject(options)) return reject('expected an options object like { data: {...} }', form);
  const stray = LOGGED ? Object.keys(options).filter((k) => k !== 'data') : [];
  if (!('data' in options)) return { data: options, warning: LOGGED && stray.length ? 'no { data: ... } wrapper: the options were sent as the data' : undefined };
  return { data: options.data, warning: LOGGED && stray.length ? `ignored beside data: ${stray.slice(0, 5).join(', ')}` : undefined };
}

function eventForm(args: unknown[]): Command {
  const [, name, options] = args;
  if (isPlainObject(name)) {
    // 8.1: ['event', { eventName, ...params }]
    const form = LOGGED ? "8.1 ['event', {eventName, ...}]" : '';
    const { eventName, ...params } = name;
    if (!nonEmptyString(eventName)) return reject('the 8.1 event needs eventName (a non-empty string)', form);
    return businessOrIdentity(String(eventName), params, form);
  }
  if (typeof name !== 'string' || name.trim() === '') {
    return reject('expected an event name (a non-empty string)', LOGGED ? "['event', ...]" : '');
  }
  const identity = aliased(name);
  if (identity) {
    // 8.5: ['event', 'sendSignIn', options]: the options are the data.
    return eventCommand(LOGGED ? `8.5 ['event', '${name}', options]` : '', 'SYSTEM', identity, options);
  }
  const form = !LOGGED ? '' : TRANSITIONS[name] ? `8.5 ['event', '${name}', {data}]` : "8.5 ['event', name, {data}]";
  const wrapped = wrappedData(options, form);
  if ('kind' in wrapped) return wrapped;
  return businessOrIdentity(name, wrapped.data, form, wrapped.warning);
}

function businessOrIdentity(name: string, data: unknown, form: string, warning?: string): Command {
  if (TRACKER_ONLY.includes(name)) return reject(`${name} is sent by the tracker itself, not pushed`, form);
  if (TRANSITIONS[name]) return eventCommand(form, 'SYSTEM', name, data, warning);
  if (name.length > 256) return reject('the event name is longer than 256 characters', form);
  return eventCommand(form, 'BUSINESS', name, data, warning);
}

export function parseCommand(input: unknown): Command {
  if (!Array.isArray(input)) {
    return reject(`a command must be an array, like ['event', 'AddToCart'] (got ${input === null ? 'null' : typeof input})`);
  }
  const name = input[0];
  if (typeof name !== 'string') return reject('expected a command name (a string)');
  switch (name) {
    case 'event':
      return eventForm(input);
    case 'sendSignIn':
    case 'sendSignOut':
    case 'sendUserInfo':
      return eventCommand(LOGGED ? `8.1 ['${name}', options]` : '', 'SYSTEM', aliased(name)!, input[1]);
    case 'config': {
      const form = LOGGED ? "['config', options]" : '';
      if (!isPlainObject(input[1])) return reject('config needs an options object', form);
      const o = input[1];
      const config: TrackerConfig = {};
      for (const key of ['httpEndpoint', 'httpsEndpoint', 'dslResource', 'languageCode'] as const) {
        if (o[key] === undefined) continue;
        if (typeof o[key] !== 'string') return reject(`config ${key} must be a string`, form);
        config[key] = o[key] as string;
      }
      if (o.debug !== undefined) config.debug = Boolean(o.debug);
      return { kind: 'config', form, config };
    }
    case 'getIDs':
      if (typeof input[1] !== 'function') return reject('getIDs needs a callback function', LOGGED ? "['getIDs', callback]" : '');
      return { kind: 'getIDs', form: LOGGED ? "['getIDs', callback]" : '', callback: input[1] as (ids: object) => void };
    default:
      return reject(`unknown command "${name.slice(0, 64)}" (expected one of: ${COMMANDS})`);
  }
}

/** A JSON-safe copy of what the page pushed, for the capture log: functions and cycles named. */
export function describeValue(value: unknown, depth = 0, seen: unknown[] = []): unknown {
  if (typeof value === 'function') return `ƒ ${value.name || 'anonymous'}()`;
  if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  if (value === null || typeof value !== 'object') return value === undefined ? '(undefined)' : value;
  if (seen.includes(value)) return '(circular)';
  if (depth >= 8) return '(…)';
  seen.push(value);
  let out: unknown;
  try {
    if (Array.isArray(value)) out = value.slice(0, 100).map((v) => describeValue(v, depth + 1, seen));
    else {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(value).slice(0, 100)) {
        // defineProperty: a pushed `__proto__` key stays a plain key instead of a prototype.
        Object.defineProperty(o, k, {
          value: describeValue((value as Record<string, unknown>)[k], depth + 1, seen),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      out = o;
    }
  } catch {
    out = '(unreadable)';
  }
  seen.pop();
  return out;
}
