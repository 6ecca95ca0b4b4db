// A select of active users, "me" marked.
import type { SelectHTMLAttributes } from 'react';
import { useApp } from '../app-context.js';

/** Users to pick from; `placeholder` adds an empty first option. */
export function UserSelect({ placeholder, ...rest }: { placeholder?: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  const { users, user, t } = useApp();
  return (
    <select {...rest}>
      {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
      {users.filter((u) => !u.disabled).map((u) => (
        <option key={u.id} value={u.id}>{u.id === user.id ? t('common.me', { name: u.name }) : u.name}</option>
      ))}
    </select>
  );
}
