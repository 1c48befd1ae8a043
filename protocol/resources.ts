// History REST API resources (contract section 4) as the companion serves them.
import type { StoredEvent, VisitorState, VisitScope } from './events';

export interface PageResource {
  pageId: string;
  browserPageID: string;
  visitId: string;
  url: string | null;
  title: string | null;
  referrer: string | null;
  category: string | null;
  startDate: number;
  /** 0 while the page is open. */
  endDate: number;
  eventIds: string[] | null;
  events: StoredEvent[] | null;
}

export interface VisitResource {
  visitId: string;
  globalVisitID: string;
  startDate: number;
  /** 0 while the visit is open. */
  endDate: number;
  userAgentId: string | null;
  /** Addition: the user agent string userAgentId stands for. */
  userAgent: string | null;
  /** Addition: Anonymous, Recognized or Authenticated right now. */
  visitorState: VisitorState;
  /** Addition: the open session's id while Authenticated, else null. */
  activeSessionId: string | null;
  /** Addition: the identities associated with this visit. */
  identityIds: string[];
  eventIds: string[] | null;
  events: StoredEvent[] | null;
  pageIds: string[] | null;
  pages: PageResource[] | null;
}

export interface IdentityResource {
  identityId: string;
  name: string;
  location: string | null;
  /** The contact this identity is associated with in the contact directory. */
  entityInCS: string | null;
  visitScope: VisitScope;
  /** Addition: what SignIn/UserInfo said about the person beyond the identifier. */
  profile: Record<string, unknown>;
  visitIds: string[] | null;
  visits: VisitResource[] | null;
  pageIds: string[] | null;
  pages: PageResource[] | null;
  eventIds: string[] | null;
  events: StoredEvent[] | null;
}

export interface Contact {
  contactId: string;
  userId?: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  /** `seed` (file or API) or `SignIn` (created when no contact matched). */
  origin: 'seed' | 'SignIn' | 'UserInfo';
}

export interface ApiError {
  error: string;
  message: string;
  /** The request parameter or body field at fault, when there is one. */
  field?: string;
}
