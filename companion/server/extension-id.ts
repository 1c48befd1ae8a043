// Visitor Lab's own extension has a fixed id, so the companion can trust it and no other
// extension. Chromium derives an extension's id from the `key` in its manifest (the base64 DER
// SubjectPublicKeyInfo of an RSA key): the first 128 bits of the key's SHA-256, each hex digit
// 0-f written as a letter a-p. wxt.config.ts puts this key in the manifest.
//
// The key pair was made once (`crypto.generateKeyPairSync('rsa', {modulusLength: 2048})`, public
// key exported as spki/der) and the private key thrown away: an unpacked extension needs only the
// public key for its id, and nothing here packs a .crx. To change the id, make a new pair and put
// its public key here; the companion's trusted origin follows.
import { createHash } from 'node:crypto';

export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjSBVjdkDzfNJawoRQ/lNuVQk4sd6oQcd6CwqmcROGVqD2hcu/ubWNhXrnRA/vgxCm9jUevipkp4yUgPhVeUIQUR8QnjXF14eFE5boroyuRp+SePWfj9tpAiuqlq0XUN2kc95uWaCZQIqaXl26NFGpFgo2lsH9w3XtwkFSwoqzG3q6mXbgHQ9OXUIJ6aU2V6JHrWPzr2J7jUaLESfV5fd0waEK22stjucqlOunMncLFEh3bJoqEuSXM8I1XV4ObPjZu7z+wyPU4dHjTIz1ovG49HpDRova75LFe6pa+dy0mKo4ZYDrSII5HPoTQBeuRwya+uV+V0epTr54nf4Ym7sNQIDAQAB';

/** The Chromium extension id of a manifest `key`. */
export function extensionIdOf(publicKeyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join('');
}

/** Visitor Lab's extension id in Chromium and Chrome: ejpggenafmfiofodjbhojpnhcmegbgkd. */
export const EXTENSION_ID = extensionIdOf(EXTENSION_PUBLIC_KEY);

/** A Chromium extension id: 32 letters a-p. */
export const CHROME_EXTENSION_ID = /^[a-p]{32}$/;
const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\/[A-Za-z0-9._-]+$/;

/**
 * The origin an `--allow-extension` value names: a Chromium id (`chrome-extension://` is added)
 * or a whole extension origin (Firefox gives each install its own `moz-extension://UUID`).
 * Null when it is neither.
 */
export function extensionOrigin(value: string): string | null {
  const v = value.trim().replace(/\/$/, '');
  if (CHROME_EXTENSION_ID.test(v)) return `chrome-extension://${v}`;
  return EXTENSION_ORIGIN.test(v) ? v : null;
}
