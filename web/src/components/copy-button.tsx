// Copies text to the clipboard, also where the page is served over plain HTTP on a LAN address
// (no navigator.clipboard there): until outbound channels exist, this is how an update reaches Slack.
import { useState } from 'react';
import { useApp } from '../app-context.js';

function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}

/** A button that copies `text` and says so for a moment. */
export function CopyButton({ text, label, className, ariaLabel }: { text: string; label?: string; className?: string; ariaLabel?: string }) {
  const { t } = useApp();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    let ok = false;
    try {
      if (navigator.clipboard) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) ok = copyWithSelection(text);
    if (ok) {
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    }
  };
  return (
    <button type="button" className={className} onClick={() => void copy()} aria-live="polite" aria-label={copied ? undefined : ariaLabel}>
      {copied ? `✓ ${t('common.copied')}` : (label ?? t('common.copy'))}
    </button>
  );
}
