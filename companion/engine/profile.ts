// What one identity keeps of what the site said about the person. Bounded: a profile kept
// every data key of every SignIn forever, and 600 SignIns with new keys made the identity too
// large to answer (a 500 on every read of it). The events themselves keep all their data.
import type { IdentityRecord } from './state';

/** At most this many keys, and this many characters of JSON, in one identity's profile. */
export const PROFILE_LIMITS = { keys: 100, chars: 64 * 1024 } as const;

const size = (v: unknown) => JSON.stringify(v)?.length ?? 0;

/**
 * Merges an identifying event's data into the profile, newest value winning. A key that is
 * new once the profile holds PROFILE_LIMITS.keys keys, or a value that would take it past
 * PROFILE_LIMITS.chars, is not kept (keys already there are still updated when they fit).
 */
export function mergeProfile(identity: IdentityRecord, data: Record<string, unknown>): void {
  const profile = identity.profile;
  let chars = size(profile);
  let keys = Object.keys(profile).length;
  for (const [key, value] of Object.entries(data)) {
    const had = Object.prototype.hasOwnProperty.call(profile, key);
    if (!had && keys >= PROFILE_LIMITS.keys) continue;
    // The change in the profile's JSON length: the key and its value (and a comma) in or out.
    const entry = (v: unknown) => size(key) + 1 + size(v) + 1;
    const next = chars - (had ? entry(profile[key]) : 0) + entry(value);
    if (next > PROFILE_LIMITS.chars) continue;
    profile[key] = value;
    chars = next;
    if (!had) keys++;
  }
}
