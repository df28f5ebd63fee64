/** An `<a>` that navigates through the router for plain left clicks and leaves the rest (new tab...) to the browser. */
import { splitProps, type JSX } from 'solid-js';
import { useRouter } from '../lib/router.ts';

export interface LinkProps extends JSX.AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string;
  replace?: boolean;
  keepScroll?: boolean;
}

export function Link(props: LinkProps) {
  const router = useRouter();
  const [own, rest] = splitProps(props, ['href', 'replace', 'keepScroll', 'onClick']);
  const onClick: JSX.EventHandler<HTMLAnchorElement, MouseEvent> = (event) => {
    if (typeof own.onClick === 'function') own.onClick(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    event.preventDefault();
    router.navigate(own.href, { replace: own.replace, keepScroll: own.keepScroll });
  };
  return <a {...rest} href={own.href} onClick={onClick} />;
}
