// Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab leaves the tab list.
import type { KeyboardEvent } from 'react';

/** onKeyDown for a role="tablist": ←/→/Home/End select and focus another tab. */
export function tabListKeys(e: KeyboardEvent<HTMLElement>): void {
  const tabs = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')];
  const at = tabs.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  const next = e.key === 'ArrowRight' ? (at + 1) % tabs.length
    : e.key === 'ArrowLeft' ? (at - 1 + tabs.length) % tabs.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
  if (next < 0) return;
  e.preventDefault();
  tabs[next]?.focus();
  tabs[next]?.click();
}
