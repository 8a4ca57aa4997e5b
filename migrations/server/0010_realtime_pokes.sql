-- Realtime pokes: every transaction that raises a user's `sync_state.version` (a `sync_push`
-- that changed something, `set_capture_transcript`) sends one content-free Broadcast on the
-- user's private topic `jotline:<user_id>`, with Supabase's `realtime.send`:
--
--     {"version": <the new version>, "client_id": <the pushing client, or null>}
--
-- (realtime.send adds the message's `id`). Never note text: a client that hears a poke pulls,
-- and the pull is the truth. A poke that is lost costs nothing (clients pull on every
-- (re)connect); a poke never fails the transaction (realtime.send turns errors into warnings).
--
-- How, without touching sync_push's body:
-- * `sync_push` ends by updating its caller's `sync_clients` row; a trigger there remembers
--   that client id for the rest of the transaction (the setting `jotline.push_client`);
-- * a constraint trigger on `sync_state`, deferred to commit, sends the poke when the version
--   grew. At commit the client id is known, and a transaction that bumps several times sends
--   one poke, with its last version. Deferred triggers run in the commit, so a rolled-back
--   push sends nothing.
--
-- Who may listen: Realtime authorises a private channel by reading realtime.messages as the
-- joining user with `realtime.topic` set to the channel's topic; the policy below lets a user
-- read their own topic only. Nobody may send on a topic: realtime.messages has no insert
-- policy, so a client's broadcast on a private channel is refused (only this trigger, running
-- as the owner, past row-level security, writes there).

create function jotline_private.remember_push_client() returns trigger
language plpgsql set search_path = '' as $$
begin
    perform set_config('jotline.push_client', new.client_id::text, true);
    return null;
end
$$;

create trigger remember_push_client after update on public.sync_clients
    for each row execute function jotline_private.remember_push_client();

-- SECURITY DEFINER (owned by postgres, which may insert into realtime.messages past row-level
-- security): the commit runs as the API role, which may not write realtime.messages.
create function jotline_private.send_sync_poke() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
    -- Only the transaction's last bump pokes (its row is the one still current).
    if new.version <> (select s.version from public.sync_state s where s.user_id = new.user_id) then
        return null;
    end if;
    perform realtime.send(
        jsonb_build_object(
            'version', new.version,
            'client_id', nullif(current_setting('jotline.push_client', true), '')::uuid),
        'poke',
        'jotline:' || new.user_id::text,
        true);
    return null;
end
$$;

create constraint trigger send_sync_poke after update on public.sync_state
    deferrable initially deferred
    for each row when (new.version > old.version)
    execute function jotline_private.send_sync_poke();

revoke all on function jotline_private.remember_push_client() from public;
revoke all on function jotline_private.send_sync_poke() from public;

-- A user receives only their own topic's broadcasts. `topic` is checked too, so a user who
-- could read realtime.messages directly would still see only rows of their own topic.
create policy "jotline: users receive their own pokes" on realtime.messages
    for select to authenticated
    using (
        extension = 'broadcast'
        and (select realtime.topic()) = 'jotline:' || (select auth.uid())::text
        and topic = (select realtime.topic())
    );
