-- The sync tables change only through `sync_push` (and the service functions), never by a
-- direct INSERT, UPDATE or DELETE through PostgREST's /rest/v1/<table>: a signed-in user could
-- otherwise set an entry's `version` to 0 (their other devices would never pull it), rewrite
-- `sync_state.version`, reset `sync_clients.last_op_seq`, or hard-delete rows so that the
-- deletion never reaches another device. Reads through row-level security stay.
--
-- How: the API roles lose their write privileges on the sync tables, and `sync_push` runs as
-- `jotline_sync_writer` (SECURITY DEFINER, body unchanged): a member of `authenticated` (so the
-- own_rows policies, which are `to authenticated`, apply to it as before) that also holds the
-- write privileges the body needs, may not bypass row-level security and owns no table. So
-- every statement of the body is still confined to the caller's rows (`auth.uid()` reads the
-- request's JWT claims, whoever runs the function). Nobody can log in as, or switch to, that
-- role. SECURITY DEFINER owned by `postgres` would run past row-level security (BYPASSRLS).
--
-- Also: the policies read `auth.uid()` once per statement (`(select auth.uid())`), not once
-- per row (Supabase's linter: auth_rls_initplan).

create role jotline_sync_writer nologin inherit;
grant authenticated to jotline_sync_writer;
-- To hand it the function: PostgreSQL asks the giver's membership in the new owner, and the
-- owner's CREATE on the function's schema.
grant jotline_sync_writer to current_user;
grant create on schema public to jotline_sync_writer;
grant select on public.sync_state to jotline_sync_writer;
grant insert (user_id) on public.sync_state to jotline_sync_writer;
grant update (version) on public.sync_state to jotline_sync_writer;
grant select on public.sync_clients to jotline_sync_writer;
grant insert (user_id, client_id, last_op_seq) on public.sync_clients to jotline_sync_writer;
grant update (last_op_seq, updated_at) on public.sync_clients to jotline_sync_writer;
grant select, insert on public.dead_letters to jotline_sync_writer;
grant usage on sequence public.dead_letters_id_seq to jotline_sync_writer;
grant select, insert, update on public.entries, public.captures to jotline_sync_writer;

alter function public.sync_push(uuid, jsonb) owner to jotline_sync_writer;
alter function public.sync_push(uuid, jsonb) security definer;
revoke create on schema public from jotline_sync_writer;

-- Reads through row-level security stay; writes go through sync_push alone.
revoke insert, update, delete, truncate, references, trigger on public.sync_state,
    public.sync_clients, public.dead_letters, public.entries, public.captures
    from anon, authenticated;
revoke usage on sequence public.dead_letters_id_seq from anon, authenticated;

drop policy own_rows on public.sync_state;
create policy own_rows on public.sync_state for all to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy own_rows on public.sync_clients;
create policy own_rows on public.sync_clients for all to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy own_rows on public.dead_letters;
create policy own_rows on public.dead_letters for all to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy own_rows on public.entries;
create policy own_rows on public.entries for all to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
drop policy own_rows on public.captures;
create policy own_rows on public.captures for all to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

drop policy "captures: owner reads" on storage.objects;
create policy "captures: owner reads" on storage.objects
    for select to authenticated
    using (bucket_id = 'captures' and (storage.foldername(name))[1] = (select auth.uid())::text);
drop policy "captures: owner uploads" on storage.objects;
create policy "captures: owner uploads" on storage.objects
    for insert to authenticated
    with check (bucket_id = 'captures' and (storage.foldername(name))[1] = (select auth.uid())::text);
drop policy "captures: owner replaces" on storage.objects;
create policy "captures: owner replaces" on storage.objects
    for update to authenticated
    using (bucket_id = 'captures' and (storage.foldername(name))[1] = (select auth.uid())::text)
    with check (bucket_id = 'captures' and (storage.foldername(name))[1] = (select auth.uid())::text);
drop policy "captures: owner deletes" on storage.objects;
create policy "captures: owner deletes" on storage.objects
    for delete to authenticated
    using (bucket_id = 'captures' and (storage.foldername(name))[1] = (select auth.uid())::text);
