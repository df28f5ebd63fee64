/** A quiet "Loading…" placeholder with a spinner, announced as a status. */
export function Loading(props: { label?: string }) {
  return (
    <div class="loading" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? 'Loading…'}
    </div>
  );
}
