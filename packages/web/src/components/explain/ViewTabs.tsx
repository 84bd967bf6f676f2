// Tabs (WAI-ARIA tabs pattern, automatic activation): arrow keys, Home and End move between them.
import { useRef, type KeyboardEvent } from 'react';

export interface TabItem {
  id: string;
  label: string;
}

/** Id of the tab for `id` and of the panel it controls, within the tab list `name`. */
export const tabId = (name: string, id: string) => `${name}-tab-${id}`;
export const panelId = (name: string, id: string) => `${name}-panel-${id}`;

export function ViewTabs({
  name,
  label,
  items,
  value,
  onChange,
  className = 'view-tabs',
}: {
  /** Prefix of the ids. */
  name: string;
  /** The tab list's accessible name. */
  label: string;
  items: readonly TabItem[];
  value: string;
  onChange(id: string): void;
  className?: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  const move = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const last = items.length - 1;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? i === last
          ? 0
          : i + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? i === 0
            ? last
            : i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    onChange(items[next].id);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };
  return (
    <div ref={list} role="tablist" aria-label={label} className={className}>
      {items.map((t, i) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={tabId(name, t.id)}
          aria-selected={t.id === value}
          aria-controls={panelId(name, t.id)}
          tabIndex={t.id === value ? 0 : -1}
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => move(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
