import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A failure the user must read: role="alert" is announced at once. Focus moves to it when asked
 * (after a form submission), so keyboard users land on the explanation.
 */
export function ErrorMessage({
  title,
  children,
  focus = false,
}: {
  title: ReactNode;
  children?: ReactNode;
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div className="message message--error" role="alert" tabIndex={-1} ref={ref}>
      <p className="message__title">{title}</p>
      {children}
    </div>
  );
}

/** Progress and outcomes announced politely (role="status"). */
export function StatusMessage({
  title,
  children,
  tone = 'info',
}: {
  title?: ReactNode;
  children?: ReactNode;
  tone?: 'info' | 'success' | 'warning';
}) {
  return (
    <div className={`message message--${tone}`} role="status">
      {title ? <p className="message__title">{title}</p> : null}
      {children}
    </div>
  );
}

/** Moves focus to a heading when a new step or result appears (WCAG 2.4.3 focus order). */
export function FocusHeading({
  level = 2,
  children,
  id,
}: {
  level?: 2 | 3;
  children: ReactNode;
  id?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const Tag = level === 2 ? 'h2' : 'h3';
  return (
    <Tag ref={ref} tabIndex={-1} id={id}>
      {children}
    </Tag>
  );
}
