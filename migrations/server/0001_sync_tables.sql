-- Jotline sync, server side, part 1: the synced tables and their bookkeeping, with row-level
-- security. See README.md beside this file (the contract). Runs unchanged on Supabase; on a
-- plain PostgreSQL the tests first apply tests/sql/supabase_bootstrap.sql.
--
-- Privileges: Supabase's default privileges grant everything on new objects in `public` to
-- anon/authenticated/service_role, so every table revokes first and grants back only what the
-- `authenticated` role needs; `anon` gets nothing.
--
-- RLS is enabled on every table. It is also FORCEd (so even the owner goes through the policies)
-- on sync_clients and dead_letters. entries, captures and sync_state are not forced: the
-- SECURITY DEFINER functions in 0003/0004 (purge tombstones across users, tell "this id belongs
-- to someone else") run as the owner and must see every user's rows. Clients never run as the
-- owner, so for them the policies hold either way.

-- Helpers that are not API: a schema PostgREST does not expose.
create schema if not exists jotline_private;
revoke all on schema jotline_private from public;
grant usage on schema jotline_private to authenticated, service_role;

-- Per user: the change counter (commit-ordered, see 0002) and the tombstone horizon.
create table public.sync_state (
    user_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
    version bigint not null default 0 check (version >= 0),
    horizon bigint not null default 0 check (horizon >= 0 and horizon <= version)
);

-- Per (user, client): the last op_seq applied or rejected (push is idempotent by it).
create table public.sync_clients (
    user_id     uuid not null default auth.uid() references auth.users (id) on delete cascade,
    client_id   uuid not null,
    last_op_seq bigint not null default 0 check (last_op_seq >= 0),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (user_id, client_id)
);

-- Ops rejected for good, with the op as sent and the reason.
create table public.dead_letters (
    id         bigserial primary key,
    user_id    uuid not null default auth.uid() references auth.users (id) on delete cascade,
    client_id  uuid not null,
    op_seq     bigint not null,
    op         jsonb not null,
    reason     text not null,
    created_at timestamptz not null default now()
);
create index dead_letters_by_user on public.dead_letters (user_id, id);

-- The journal. Times are the client's (RFC 3339 on the wire). `version` is the sync_state
-- version of the push that last changed the row; `tombstoned_at` is the server's time of the
-- delete (the 30-day retention counts from it, not from the client's clock).
create table public.entries (
    id            uuid primary key,
    user_id       uuid not null default auth.uid() references auth.users (id) on delete cascade,
    kind          text not null default 'note',
    title         text,
    body          text not null default '',
    occurred_at   timestamptz not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    deleted_at    timestamptz,
    version       bigint not null,
    tombstoned_at timestamptz,
    check ((deleted_at is null) = (tombstoned_at is null))
);
create index entries_pull on public.entries (user_id, version, id);
create index entries_tombstones on public.entries (tombstoned_at) where deleted_at is not null;

-- Raw captures: the local pending_captures minus local-only bookkeeping (retry_count,
-- last_attempt_at). `audio_path` is the Storage object path; `context` any JSON the client sent.
create table public.captures (
    id                uuid primary key,
    user_id           uuid not null default auth.uid() references auth.users (id) on delete cascade,
    created_at        timestamptz not null,
    surface           text not null check (surface in ('desktop_hotkey', 'in_app', 'cli')),
    text              text,
    audio_path        text,
    audio_duration_ms bigint check (audio_duration_ms >= 0),
    parse_status      text not null default 'pending'
                      check (parse_status in ('pending', 'uploading', 'parsing', 'ready', 'error')),
    error             text,
    context           jsonb,
    entry_id          uuid,
    deleted_at        timestamptz,
    version           bigint not null,
    tombstoned_at     timestamptz,
    check ((deleted_at is null) = (tombstoned_at is null))
);
create index captures_pull on public.captures (user_id, version, id);
create index captures_tombstones on public.captures (tombstoned_at) where deleted_at is not null;

-- Row-level security: own rows only, for every command; inserts and updates are checked too.
alter table public.sync_state enable row level security;
alter table public.sync_clients enable row level security;
alter table public.sync_clients force row level security;
alter table public.dead_letters enable row level security;
alter table public.dead_letters force row level security;
alter table public.entries enable row level security;
alter table public.captures enable row level security;

create policy own_rows on public.sync_state for all to authenticated
    using (user_id = auth.uid()) with check (user_id = auth.uid());
create policy own_rows on public.sync_clients for all to authenticated
    using (user_id = auth.uid()) with check (user_id = auth.uid());
create policy own_rows on public.dead_letters for all to authenticated
    using (user_id = auth.uid()) with check (user_id = auth.uid());
create policy own_rows on public.entries for all to authenticated
    using (user_id = auth.uid()) with check (user_id = auth.uid());
create policy own_rows on public.captures for all to authenticated
    using (user_id = auth.uid()) with check (user_id = auth.uid());

revoke all on public.sync_state, public.sync_clients, public.dead_letters, public.entries,
    public.captures from public, anon, authenticated;
revoke all on sequence public.dead_letters_id_seq from public, anon, authenticated;

-- The bookkeeping columns a client could corrupt (horizon) are not writable by it.
grant select on public.sync_state to authenticated;
grant insert (user_id) on public.sync_state to authenticated;
grant update (version) on public.sync_state to authenticated;
grant select on public.sync_clients to authenticated;
grant insert (user_id, client_id, last_op_seq) on public.sync_clients to authenticated;
grant update (last_op_seq, updated_at) on public.sync_clients to authenticated;
grant select, insert, delete on public.dead_letters to authenticated;
grant usage on sequence public.dead_letters_id_seq to authenticated;
grant select, insert, update, delete on public.entries, public.captures to authenticated;
