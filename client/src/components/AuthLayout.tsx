/** The centred, header-less frame of the sign-in, register and invite pages. */
import type { JSX } from 'solid-js';
import { Link } from './Link.tsx';

export function AuthLayout(props: { title: string; children: JSX.Element; testid?: string }) {
  return (
    <main class="auth-page">
      <Link href="/" class="brand brand-large">
        <span class="brand-mark" aria-hidden="true" />
        <span class="brand-name">Delivery Board</span>
      </Link>
      <div class="panel auth-panel" data-testid={props.testid}>
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </main>
  );
}
