-- Delivery receipts, server half (README.md "Devices and delivery receipts"): per device of a
-- user, the version it has pulled up to and when, its name, when it was last heard from; a
-- way to list, rename and forget devices. The client decides per entry whether it is on this
-- computer (ops pending), on the server (acknowledged, its version known) or on every other
-- device (each one seen in the last 30 days has pulled at or past the entry's version).
--
-- Recording a pull: a new overload `sync_pull(cursor, page_size, client_id)` rather than a
-- separate `report_pulled(client_id, version)`:
-- - the server computes the version from the page it hands out, in the same snapshot, so a
--   client can neither claim a version it was not given nor one above the user's, nor does
--   it have to read the opaque cursor;
-- - no extra request per sync round;
-- - old clients keep calling the two-argument sync_pull (0003), untouched: STABLE, so it
--   still runs in PostgREST's read-only transaction and costs what it cost. The overload is
--   VOLATILE (it writes); PostgREST picks it by the argument names of the body.
--
-- Writes only through these functions (as 0007 does for sync_push): they are SECURITY
-- DEFINER owned by `jotline_device_writer`, a member of `authenticated` (so the own_rows
-- policy confines every statement to the caller) that holds the write privileges on
-- sync_devices and nothing else. `authenticated` may only read the table; anon gets nothing.

-- Per (user, client): what receipts need. A row exists once the client has pulled with its
-- id or been named; `forgotten_at` marks a device the user forgot (the other columns are
-- then cleared), so that it does not come back from its old sync_clients row (see
-- listed_devices).
create table public.sync_devices (
    user_id        uuid not null default auth.uid() references auth.users (id) on delete cascade,
    client_id      uuid not null,
    name           text check (char_length(name) between 1 and 100),
    pulled_version bigint check (pulled_version >= 0),
    pulled_at      timestamptz,
    last_seen_at   timestamptz,
    forgotten_at   timestamptz,
    created_at     timestamptz not null default now(),
    primary key (user_id, client_id),
    check ((pulled_version is null) = (pulled_at is null))
);

alter table public.sync_devices enable row level security;
alter table public.sync_devices force row level security;
create policy own_rows on public.sync_devices for all to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- Supabase's default privileges granted everything to the API roles: take it back first.
revoke all on public.sync_devices from public, anon, authenticated, service_role;
grant select on public.sync_devices to authenticated, service_role;

create role jotline_device_writer nologin inherit;
grant authenticated to jotline_device_writer;
-- To hand it the functions (as in 0007): the giver's membership, the owner's CREATE.
grant jotline_device_writer to current_user;
grant create on schema public to jotline_device_writer;
grant insert (user_id, client_id, name, pulled_version, pulled_at, last_seen_at, forgotten_at)
    on public.sync_devices to jotline_device_writer;
grant update (name, pulled_version, pulled_at, last_seen_at, forgotten_at)
    on public.sync_devices to jotline_device_writer;

-- The version a client holds once it has applied `page` (a sync_pull answer) on top of what
-- it had before its cursor: it then has every change with a version at or below it. The
-- last page brings it to the user's version; a page with more to come, to just below the
-- first row it left out (rows are ordered by version first, so every lower version is
-- complete; versions without rows, e.g. a push of rejected ops only, count as complete).
-- Null for must_resync: the page brought nothing. Must run in the snapshot that made `page`.
create function jotline_private.pulled_through(uid uuid, page jsonb)
returns bigint language plpgsql stable set search_path = '' as $$
declare
    v_last jsonb := page -> 'changes' -> -1;
    v_ver  bigint;
    v_tbl  text;
    v_id   uuid;
    v_next bigint;
begin
    if (page ->> 'must_resync')::boolean then
        return null;
    end if;
    if not (page ->> 'has_more')::boolean then
        return coalesce((select s.version from public.sync_state s where s.user_id = uid), 0);
    end if;
    v_ver := (v_last -> 'row' ->> 'version')::bigint;
    v_tbl := v_last ->> 'table';
    v_id := (v_last -> 'row' ->> 'id')::uuid;
    -- The first row after (v_ver, v_tbl, v_id) in each table, by the bounds of 0003.
    select min(n.version) into v_next from (
        (select e.version from public.entries e
         where e.user_id = uid
           and (e.version, e.id) > (case when 'entries' > v_tbl then v_ver - 1 else v_ver end,
                                    case when 'entries' = v_tbl then v_id
                                         else 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid end)
         order by e.version, e.id limit 1)
        union all
        (select c.version from public.captures c
         where c.user_id = uid
           and (c.version, c.id) > (case when 'captures' > v_tbl then v_ver - 1 else v_ver end,
                                    case when 'captures' = v_tbl then v_id
                                         else 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid end)
         order by c.version, c.id limit 1)
    ) n;
    -- has_more promises a next row in this snapshot; v_ver - 1 is the safe floor regardless.
    return coalesce(v_next, v_ver) - 1;
end;
$$;
revoke all on function jotline_private.pulled_through(uuid, jsonb) from public;
grant execute on function jotline_private.pulled_through(uuid, jsonb) to jotline_device_writer;

-- A device name as given, trimmed, or a clear error naming the rpc.
create function jotline_private.device_name(rpc text, name text)
returns text language plpgsql immutable set search_path = '' as $$
declare
    v_name text := regexp_replace(name, '^[[:space:]]+|[[:space:]]+$', '', 'g');
begin
    if name is null then
        raise exception '%: name is required', rpc using errcode = '22023';
    end if;
    if v_name ~ '[[:cntrl:]]' then
        raise exception '%: name must be one line without control characters', rpc
            using errcode = '22023';
    end if;
    if char_length(v_name) not between 1 and 100 then
        raise exception '%: name must be 1 to 100 characters once trimmed, got %', rpc,
            char_length(v_name) using errcode = '22023';
    end if;
    return v_name;
end;
$$;
revoke all on function jotline_private.device_name(text, text) from public;
grant execute on function jotline_private.device_name(text, text) to jotline_device_writer;

-- The devices a user has, as list_devices shows them: every sync_devices row not forgotten,
-- and every client that pushed (sync_clients) but never pulled with its id nor was named
-- (an older Jotline: listed with pulled_version null, so receipts cannot claim it has
-- anything). A forgotten device stays hidden, whatever it pushes, until it pulls with its id
-- or registers again. last_seen_at counts pushes too (sync_clients.updated_at).
create function jotline_private.listed_devices(uid uuid)
returns table (client_id uuid, last_seen_at timestamptz, device jsonb)
language sql stable set search_path = '' as $$
    select l.client_id, l.last_seen_at,
           jsonb_build_object(
               'client_id', l.client_id,
               'name', l.name,
               'pulled_version', l.pulled_version,
               'pulled_at', jotline_private.rfc3339(l.pulled_at),
               'last_seen_at', jotline_private.rfc3339(l.last_seen_at),
               'created_at', jotline_private.rfc3339(l.created_at))
    from (
        select coalesce(d.client_id, c.client_id) as client_id, d.name, d.pulled_version,
               d.pulled_at, greatest(d.last_seen_at, c.updated_at) as last_seen_at,
               least(d.created_at, c.created_at) as created_at
        from (select * from public.sync_devices x where x.user_id = uid) d
        full join (select * from public.sync_clients y where y.user_id = uid) c
            on c.client_id = d.client_id
        where d.forgotten_at is null
    ) l
$$;
revoke all on function jotline_private.listed_devices(uuid) from public;
grant execute on function jotline_private.listed_devices(uuid) to authenticated;

-- sync_pull that also records, for `client_id`, the version this page brings it to (see
-- pulled_through). The answer is the two-argument one as it is: adding a key to it would
-- rebuild the whole page (measured: +13% per 500-row page); list_devices tells a client
-- what was recorded. The record follows the page, up or down: a client that starts again
-- from a null cursor holds nothing yet, and a page whose answer was lost is recorded too
-- high only until the client retries its cursor. must_resync leaves pulled_version as it
-- was (the client still holds that) and only counts as being seen.
create function public.sync_pull(cursor text, page_size integer, client_id uuid)
returns jsonb language plpgsql volatile security definer set search_path = '' as $$
declare
    v_uid     uuid := auth.uid();
    v_page    jsonb;
    v_through bigint;
begin
    if v_uid is null then
        raise exception 'sync_pull: not authenticated (no user id in the JWT claims)'
            using errcode = '28000';
    end if;
    if sync_pull.client_id is null then
        raise exception 'sync_pull: client_id is required' using errcode = '22023';
    end if;
    -- One statement, so one snapshot for the page and the version it brings the client to
    -- (a STABLE function reads its caller's snapshot); a push committing in between cannot
    -- be counted as pulled. OFFSET 0 keeps the subquery whole, so sync_pull runs once.
    select p.answer, jotline_private.pulled_through(v_uid, p.answer)
      into v_page, v_through
      from (select public.sync_pull(sync_pull.cursor, sync_pull.page_size) as answer
            offset 0) p;

    insert into public.sync_devices as d (user_id, client_id, pulled_version, pulled_at,
                                          last_seen_at)
    values (v_uid, sync_pull.client_id, v_through,
            case when v_through is not null then now() end, now())
    -- By the constraint's name: in a column list plpgsql would read client_id as the argument.
    on conflict on constraint sync_devices_pkey do update set
        pulled_version = coalesce(excluded.pulled_version, d.pulled_version),
        pulled_at = coalesce(excluded.pulled_at, d.pulled_at),
        last_seen_at = excluded.last_seen_at,
        forgotten_at = null;
    return v_page;
end;
$$;

-- The device names itself (its host name by default, or what the user typed on it): an
-- upsert that also counts as being seen and brings a forgotten device back.
create function public.register_device(client_id uuid, name text)
returns jsonb language plpgsql volatile security definer set search_path = '' as $$
declare
    v_uid  uuid := auth.uid();
    v_name text;
begin
    if v_uid is null then
        raise exception 'register_device: not authenticated (no user id in the JWT claims)'
            using errcode = '28000';
    end if;
    if register_device.client_id is null then
        raise exception 'register_device: client_id is required' using errcode = '22023';
    end if;
    v_name := jotline_private.device_name('register_device', register_device.name);
    insert into public.sync_devices as d (user_id, client_id, name, last_seen_at)
    values (v_uid, register_device.client_id, v_name, now())
    on conflict on constraint sync_devices_pkey do update set
        name = excluded.name, last_seen_at = excluded.last_seen_at, forgotten_at = null;
    return (select l.device from jotline_private.listed_devices(v_uid) l
            where l.client_id = register_device.client_id);
end;
$$;

-- The user renames one of their devices from any device: only the name changes (renaming
-- is not hearing from that device, so last_seen_at and a forgotten state stay).
create function public.rename_device(client_id uuid, name text)
returns jsonb language plpgsql volatile security definer set search_path = '' as $$
declare
    v_uid  uuid := auth.uid();
    v_name text;
begin
    if v_uid is null then
        raise exception 'rename_device: not authenticated (no user id in the JWT claims)'
            using errcode = '28000';
    end if;
    if rename_device.client_id is null then
        raise exception 'rename_device: client_id is required' using errcode = '22023';
    end if;
    v_name := jotline_private.device_name('rename_device', rename_device.name);
    if not exists (select 1 from jotline_private.listed_devices(v_uid) l
                   where l.client_id = rename_device.client_id) then
        raise exception 'rename_device: no device % (never seen, or forgotten)',
            rename_device.client_id using errcode = 'P0002';
    end if;
    -- A device known only from its pushes gets its sync_devices row here.
    insert into public.sync_devices as d (user_id, client_id, name)
    values (v_uid, rename_device.client_id, v_name)
    on conflict on constraint sync_devices_pkey do update set name = excluded.name;
    return (select l.device from jotline_private.listed_devices(v_uid) l
            where l.client_id = rename_device.client_id);
end;
$$;

-- The user forgets a device (sold, wiped, reinstalled): it no longer counts for receipts and
-- is not listed, even though its sync_clients row stays (that row keeps push idempotent and
-- is never deleted). True if a listed device was forgotten, false if there was none (so a
-- retry after a lost answer is harmless). It comes back if it pulls with its id or registers.
create function public.forget_device(client_id uuid)
returns boolean language plpgsql volatile security definer set search_path = '' as $$
declare
    v_uid uuid := auth.uid();
begin
    if v_uid is null then
        raise exception 'forget_device: not authenticated (no user id in the JWT claims)'
            using errcode = '28000';
    end if;
    if forget_device.client_id is null then
        raise exception 'forget_device: client_id is required' using errcode = '22023';
    end if;
    if not exists (select 1 from jotline_private.listed_devices(v_uid) l
                   where l.client_id = forget_device.client_id) then
        return false;
    end if;
    insert into public.sync_devices as d (user_id, client_id, forgotten_at)
    values (v_uid, forget_device.client_id, now())
    on conflict on constraint sync_devices_pkey do update set
        name = null, pulled_version = null, pulled_at = null, last_seen_at = null,
        forgotten_at = excluded.forgotten_at;
    return true;
end;
$$;

-- The user's devices and version, read in one snapshot, with the server's clock so that
-- "last seen 3 days ago" and the 30-day window do not depend on the client's. Read-only:
-- invoker rights and row-level security suffice.
create function public.list_devices()
returns jsonb language plpgsql stable security invoker set search_path = '' as $$
declare
    v_uid uuid := auth.uid();
begin
    if v_uid is null then
        raise exception 'list_devices: not authenticated (no user id in the JWT claims)'
            using errcode = '28000';
    end if;
    return jsonb_build_object(
        'version', coalesce((select s.version from public.sync_state s where s.user_id = v_uid), 0),
        'server_time', jotline_private.rfc3339(now()),
        'devices', coalesce((select jsonb_agg(l.device order by l.last_seen_at desc nulls last,
                                                                l.client_id)
                             from jotline_private.listed_devices(v_uid) l), '[]'::jsonb));
end;
$$;

revoke all on function public.sync_pull(text, integer, uuid), public.register_device(uuid, text),
    public.rename_device(uuid, text), public.forget_device(uuid), public.list_devices()
    from public, anon, service_role;
grant execute on function public.sync_pull(text, integer, uuid), public.register_device(uuid, text),
    public.rename_device(uuid, text), public.forget_device(uuid), public.list_devices()
    to authenticated;

alter function public.sync_pull(text, integer, uuid) owner to jotline_device_writer;
alter function public.register_device(uuid, text) owner to jotline_device_writer;
alter function public.rename_device(uuid, text) owner to jotline_device_writer;
alter function public.forget_device(uuid) owner to jotline_device_writer;
revoke create on schema public from jotline_device_writer;

-- Receipts arrive live: when a device's pulled version moves, its user's other devices hear
-- it on the private topic of 0010's pokes (event `pulled`), so "on all your devices" shows
-- without them asking. Content-free like the poke: which device, and the version it holds.
create function jotline_private.send_pulled_receipt() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
    if new.pulled_version is null
        or (tg_op = 'UPDATE' and new.pulled_version is not distinct from old.pulled_version) then
        return null;
    end if;
    perform realtime.send(
        jsonb_build_object('client_id', new.client_id, 'pulled_version', new.pulled_version),
        'pulled',
        'jotline:' || new.user_id::text,
        true);
    return null;
end
$$;
revoke all on function jotline_private.send_pulled_receipt() from public;

create trigger send_pulled_receipt after insert or update on public.sync_devices
    for each row execute function jotline_private.send_pulled_receipt();
