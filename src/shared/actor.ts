/** The three roles, weakest first. */
export const ROLES = ['viewer', 'responder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` may do what `needed` may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Who is doing something, and through what; every service call and audit event carries one. */
export interface Actor {
  type: 'user' | 'token' | 'system';
  userId: string | null;
  name: string;
  role: Role;
  tokenId?: string;
  requestId?: string;
  ip?: string;
}

/** The actor for work the server does by itself (clock sweeps, migrations). */
export const SYSTEM_ACTOR: Actor = { type: 'system', userId: null, name: 'Hikeshi', role: 'admin' };
