// The identifier rules of contract section 1 ("Identifier fields"), with no dependency: the
// companion checks events with them, and the tracker checks commands with the same rules
// (it cannot carry the schema library).

export function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

/**
 * The data fields an identifying event lacks, one of which it needs (SignIn: userId or email;
 * UserInfo: userId), or null when it has what it needs.
 */
export function missingIdentifier(eventName: string, data: Record<string, unknown>): Array<'userId' | 'email'> | null {
  if (eventName === 'SignIn' && !nonEmptyString(data.userId) && !nonEmptyString(data.email)) return ['userId', 'email'];
  if (eventName === 'UserInfo' && !nonEmptyString(data.userId)) return ['userId'];
  return null;
}
