// The control API for people and test suites: health, reset, and the contact directory.
import { Router } from 'express';
import { z } from 'zod';
import type { Contact } from '../../protocol';
import { own } from '../engine';
import type { Store } from '../store/store';
import { jsonBody } from './body';
import { badRequest, notFound } from './errors';
import { parseQuery } from './history/query';

const field = z.string().trim().min(1).max(256);
export const ContactInputSchema = z
  .object({
    contactId: field.refine((v) => v !== '__proto__', 'must not be "__proto__"').optional(),
    userId: field.optional(),
    email: field.optional(),
    phone: field.optional(),
    firstName: field.optional(),
    lastName: field.optional(),
  })
  .strict()
  .refine((c) => c.userId || c.email || c.phone, { message: 'a contact needs userId, email or phone', path: ['userId'] });

/** Validates contacts given to the API or in a seed file; ids default from the identifiers. */
export function parseContacts(input: unknown): Contact[] {
  const list = Array.isArray(input) ? input : [input];
  return list.map((item, i) => {
    const parsed = ContactInputSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // An unknown key is reported by zod on the object itself; name the key instead.
      const keys = issue.code === 'unrecognized_keys' ? [issue.keys[0]] : [];
      const path = [Array.isArray(input) ? `[${i}]` : '', ...issue.path.map(String), ...keys].filter(Boolean).join('.');
      throw badRequest(path || 'body', issue.message);
    }
    const c = parsed.data;
    return { ...c, contactId: c.contactId ?? `contact-${c.userId ?? c.email ?? c.phone}`, origin: 'seed' as const };
  });
}

export function labRouter(store: Store, version: string): Router {
  const router = Router();
  router.get('/health', (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const s = store.state;
    res.json({
      name: 'visitor-lab-companion',
      version,
      status: 'ok',
      startedAt: store.startedAt,
      uptimeSeconds: Math.round((Date.now() - store.startedAt) / 1000),
      dataDir: store.dataDir,
      visitExpirationTime: store.config.visitExpirationTime,
      counts: {
        visits: s.visitOrder.length,
        pages: Object.keys(s.pages).length,
        events: Object.keys(s.events).length,
        identities: s.identityOrder.length,
        sessions: Object.keys(s.sessions).length,
        contacts: Object.keys(s.contacts).length,
      },
    });
  });

  router.post('/reset', async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    await store.commit({ kind: 'reset' });
    res.json({ status: 'reset' });
  });

  router.get('/contacts', (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    res.json(Object.values(store.state.contacts));
  });

  router.get('/contacts/:contactId', (req, res) => {
    const contact = own(store.state.contacts, req.params.contactId);
    if (!contact) throw notFound(`no contact ${req.params.contactId}`);
    res.json(contact);
  });

  // Creates or updates contacts (one object or an array); 201 with what is stored.
  router.post('/contacts', ...jsonBody(), async (req, res) => {
    const contacts = parseContacts(req.body);
    await store.commit({ kind: 'contacts', contacts });
    res.status(201).json(contacts.map((c) => store.state.contacts[c.contactId]));
  });
  return router;
}
