/** `/b/:boardId/members`: coordinators manage who is on the board and the invite links to it. */
import { createEffect, createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type { InviteInfo, MemberListing, Role } from '@delivery-board/schema/types';
import { errorMessage } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { useRouter } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { AppHeader } from '../components/AppHeader.tsx';
import { FormError } from '../components/FormError.tsx';
import { InviteCreator } from '../components/InviteCreator.tsx';
import { InviteList } from '../components/InviteList.tsx';
import { Link } from '../components/Link.tsx';
import { MemberList } from '../components/MemberList.tsx';
import { Loading } from '../components/Loading.tsx';
import { boardErrorMessage } from './BoardRoute.tsx';

/** How often an open Members page looks for people who joined (or left) meanwhile. */
const MEMBERS_REFRESH_MS = 5000;

export function MembersRoute(props: { boardId: string }) {
  const api = useApi();
  const session = useSession();
  const router = useRouter();
  const boardPath = () => `/b/${encodeURIComponent(props.boardId)}`;

  const [info] = createResource(() => props.boardId, (id) => api.board(id));
  const isCoordinator = () => info.state === 'ready' && info().role === 'coordinator';
  const [members, { mutate: setMembers, refetch: refetchMembers }] = createResource(
    () => (isCoordinator() ? props.boardId : false),
    (id) => api.members(id).then((r) => r.members),
  );
  const [invites, { mutate: setInvites, refetch: refetchInvites }] = createResource(
    () => (isCoordinator() ? props.boardId : false),
    (id) => api.invites(id).then((r) => r.invites),
  );
  const [busyUserId, setBusyUserId] = createSignal<string | null>(null);
  const [memberError, setMemberError] = createSignal<string | null>(null);
  const [inviteError, setInviteError] = createSignal<string | null>(null);

  // People join through invite links while the coordinator watches this page: look again every few
  // seconds while it is visible (and at once when it becomes visible again). Quietly: a failed look
  // (offline) keeps what is shown, and none lands while a change of this page's own is under way.
  const refreshQuietly = async () => {
    if (!isCoordinator() || busyUserId() || document.visibilityState !== 'visible') return;
    try {
      const [m, i] = await Promise.all([api.members(props.boardId), api.invites(props.boardId)]);
      if (busyUserId()) return;
      // An error about the members (say, the last coordinator stepping down) is stale once they changed.
      if (JSON.stringify(m.members) !== JSON.stringify(members())) setMemberError(null);
      setMembers(m.members);
      setInvites(i.invites);
    } catch {
      // the next look tries again
    }
  };
  const refreshTimer = setInterval(() => void refreshQuietly(), MEMBERS_REFRESH_MS);
  const onVisible = () => void refreshQuietly();
  document.addEventListener('visibilitychange', onVisible);
  onCleanup(() => {
    clearInterval(refreshTimer);
    document.removeEventListener('visibilitychange', onVisible);
  });

  createEffect(() => {
    const name = info.state === 'ready' ? info().board.name : null;
    document.title = name ? `Members · ${name} · Delivery Board` : 'Members · Delivery Board';
  });

  const changeRole = async (member: MemberListing, role: Role) => {
    setMemberError(null);
    setBusyUserId(member.userId);
    try {
      const { member: updated } = await api.setMemberRole(props.boardId, member.userId, role);
      setMembers((list) => list?.map((m) => (m.userId === updated.userId ? { ...m, ...updated } : m)));
      // Stepping down from coordinator: this page is no longer ours to see.
      if (member.userId === session.user()?.id && updated.role !== 'coordinator') {
        await session.refresh();
        router.navigate(boardPath(), { replace: true });
      }
    } catch (err) {
      setMemberError(errorMessage(err));
      // Put the select back to what the server has.
      await refetchMembers();
    } finally {
      setBusyUserId(null);
    }
  };

  const remove = async (member: MemberListing) => {
    setMemberError(null);
    setBusyUserId(member.userId);
    try {
      await api.removeMember(props.boardId, member.userId);
      if (member.userId === session.user()?.id) {
        await session.refresh();
        router.navigate('/', { replace: true });
        return;
      }
      setMembers((list) => list?.filter((m) => m.userId !== member.userId));
    } catch (err) {
      setMemberError(errorMessage(err));
    } finally {
      setBusyUserId(null);
    }
  };

  const revoke = async (invite: InviteInfo) => {
    setInviteError(null);
    try {
      await api.revokeInvite(props.boardId, invite.id);
      await refetchInvites();
    } catch (err) {
      setInviteError(errorMessage(err));
    }
  };

  return (
    <>
      <AppHeader board={info.state === 'ready' ? info().board : undefined} />
      <main class="page">
        <Switch fallback={<Loading />}>
          <Match when={info.error}>
            <div class="panel" data-testid="board-error">
              <h1>Can't open this board</h1>
              <p class="form-error" role="alert">
                {boardErrorMessage(info.error)}
              </p>
              <Link href="/" class="btn">
                Back to your boards
              </Link>
            </div>
          </Match>
          <Match when={info.state === 'ready' && !isCoordinator()}>
            <div class="panel" data-testid="not-coordinator">
              <h1>Members &amp; invites</h1>
              <p>Only the board's coordinators can manage members and invites.</p>
              <Link href={boardPath()} class="btn">
                Back to the board
              </Link>
            </div>
          </Match>
          <Match when={isCoordinator()}>
            <div class="page-head">
              <h1 class="page-title">Members &amp; invites</h1>
              <Link href={boardPath()} class="toolbar-link" data-testid="back-to-board">
                ← Back to the board
              </Link>
            </div>

            <section class="panel" aria-labelledby="members-heading" data-testid="members-section">
              <h2 id="members-heading">
                Members
                <Show when={members.state === 'ready'}>
                  <span class="count">{members()!.length}</span>
                </Show>
              </h2>
              <FormError message={memberError()} testid="member-error" />
              <Switch fallback={<Loading />}>
                <Match when={members.error}>
                  <FormError message={errorMessage(members.error)} />
                </Match>
                <Match when={members.state === 'ready' || members.state === 'refreshing'}>
                  <MemberList
                    members={members() ?? []}
                    currentUserId={session.user()?.id}
                    busyUserId={busyUserId()}
                    onRoleChange={changeRole}
                    onRemove={remove}
                  />
                </Match>
              </Switch>
            </section>

            <InviteCreator boardId={props.boardId} onCreated={() => void refetchInvites()} />

            <section class="panel" aria-labelledby="invites-heading" data-testid="invites-section">
              <h2 id="invites-heading">Live invite links</h2>
              <p class="muted small">
                A link can't be shown again after it was made. To share one again, create a new link (and revoke the old one if
                it should stop working).
              </p>
              <FormError message={inviteError()} testid="invite-list-error" />
              <Switch fallback={<Loading />}>
                <Match when={invites.error}>
                  <FormError message={errorMessage(invites.error)} />
                </Match>
                <Match when={invites.state === 'ready' || invites.state === 'refreshing'}>
                  <InviteList invites={invites() ?? []} onRevoke={revoke} />
                </Match>
              </Switch>
            </section>
          </Match>
        </Switch>
      </main>
    </>
  );
}
