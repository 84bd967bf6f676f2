// Tooltips that work for mouse, keyboard and screen readers (WAI-ARIA tooltip pattern): shown on
// hover and on focus of the control, dismissed with Escape, text linked by aria-describedby.
import {
  cloneElement,
  isValidElement,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ReactElement,
  type ReactNode,
} from 'react';

interface TipProps {
  /** What the control does and why it matters. */
  text: ReactNode;
  /**
   * One focusable control (it receives aria-describedby), or a function that places the tooltip's
   * id itself (when the focusable element is nested, e.g. a radio inside its label).
   */
  children: ReactElement<{ 'aria-describedby'?: string }> | ((tipId: string) => ReactNode);
  placement?: 'top' | 'bottom';
  /** Stretch the wrapper to the control's container width. */
  block?: boolean;
}

export function Tip({ text, children, placement = 'top', block = false }: TipProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [end, setEnd] = useState(false);
  const [side, setSide] = useState(placement);
  const tip = useRef<HTMLSpanElement>(null);
  // Keep the bubble on screen: flip to right-aligned or below when it would overflow.
  useLayoutEffect(() => {
    if (!open || !tip.current) return;
    const anchor = tip.current.parentElement!.getBoundingClientRect();
    const w = tip.current.offsetWidth;
    const h = tip.current.offsetHeight;
    setEnd(anchor.left + w > document.documentElement.clientWidth - 8);
    setSide(placement === 'top' && anchor.top - h - 8 < 0 ? 'bottom' : placement);
  }, [open, placement]);
  const child =
    typeof children === 'function'
      ? children(id)
      : isValidElement(children)
        ? cloneElement(children, {
            'aria-describedby': [children.props['aria-describedby'], id].filter(Boolean).join(' '),
          })
        : children;
  return (
    <span
      className={`tip-anchor${block ? ' tip-block' : ''}`}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      {child}
      <span
        ref={tip}
        role="tooltip"
        id={id}
        className={`tip tip-${side}${end ? ' tip-end' : ''}`}
        hidden={!open}
      >
        {text}
      </span>
    </span>
  );
}
