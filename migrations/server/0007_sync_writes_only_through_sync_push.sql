-- The sync tables change only through `sync_push` (and the service functions), never by a
-- direct INSERT, UPDATE or DELETE through PostgREST's /rest/v1/<table>: a signed-in user could
-- otherwise set an entry's `version` to 0 (their other devices would never pull it), rewrite
-- `sync_state.version`, reset `sync_clients.last_op_seq`, or hard-delete rows so that the
-- deletion never reaches another device. Reads through row-level security stay.
--
-- How: `sync_push` keeps its body and stays SECURITY INVOKER (row-level security still
-- confines every statement to the caller's rows), moved to `jotline_private` (which PostgREST
-- does not expose) under the same name. The new `public.sync_push` sets a transaction-local flag and calls it; a
-- trigger on each sync table refuses writes by `anon`/`authenticated` without that flag. A
-- client cannot set the flag itself: PostgREST runs only functions of the exposed schemas, and
-- sets no setting a request names but its own `request.*` ones. SECURITY DEFINER instead
-- would run the body as the owner, past row-level security, and every statement in it would
-- need its own `user_id` check.
--
-- Also: the policies read `auth.uid()` once per statement (`(select auth.uid())`), not once
-- per row (Supabase's linter: auth_rls_initplan).

-- Same name in its new schema: the body qualifies its parameters as `sync_push.<name>`.
alter function public.sync_push(uuid, jsonb) set schema jotline_private;
revoke all on function jotline_private.sync_push(uuid, jsonb) from public, anon;
grant execute on function jotline_private.sync_push(uuid, jsonb) to authenticated;

create function public.sync_push(client_id uuid, ops jsonb)
returns jsonb language plpgsql volatile security invoker set search_path = '' as $$
begin
    perform set_config('jotline.sync_write', 'on', true);
    return jotline_private.sync_push(sync_push.client_id, sync_push.ops);
end
$$;
revoke all on function public.sync_push(uuid, jsonb) from public, anon;
grant execute on function public.sync_push(uuid, jsonb) to authenticated;

create function jotline_private.refuse_direct_writes()
returns trigger language plpgsql set search_path = '' as $$
begin
    if current_user in ('anon', 'authenticated')
       and coalesce(current_setting('jotline.sync_write', true), '') <> 'on' then
        raise exception 'the sync tables change only through sync_push'
            using errcode = '42501';
    end if;
    return coalesce(new, old);
end
$$;
revoke all on function jotline_private.refuse_direct_writes() from public, anon;

-- The WHEN clause keeps sync_push's own writes from calling the function at all.
create trigger refuse_direct_writes before insert or update or delete on public.sync_state
    for each row when (current_setting('jotline.sync_write', true) is distinct from 'on')
    execute function jotline_private.refuse_direct_writes();
create trigger refuse_direct_writes before insert or update or delete on public.sync_clients
    for each row when (current_setting('jotline.sync_write', true) is distinct from 'on')
    execute function jotline_private.refuse_direct_writes();
create trigger refuse_direct_writes before insert or update or delete on public.dead_letters
    for each row when (current_setting('jotline.sync_write', true) is distinct from 'on')
    execute function jotline_private.refuse_direct_writes();
create trigger refuse_direct_writes before insert or update or delete on public.entries
    for each row when (current_setting('jotline.sync_write', true) is distinct from 'on')
    execute function jotline_private.refuse_direct_writes();
create trigger refuse_direct_writes before insert or update or delete on public.captures
    for each row when (current_setting('jotline.sync_write', true) is distinct from 'on')
    execute function jotline_private.refuse_direct_writes();
-- TRUNCATE has no rows to guard: nobody but the owner may truncate at all.
revoke truncate on public.sync_state, public.sync_clients, public.dead_letters,
    public.entries, public.captures from anon, authenticated;

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
