-- A faster sync_push, so that 0007's privilege change costs sync nothing (make bench:
-- push_10k_s 0.81–0.84 s before 0007, 0.77–0.80 s with 0007 and this):
-- - no second lookup per new row: 0002 asked `owned_by_other` (a SECURITY DEFINER call, so a
--   fresh function context and search_path switch) for every op whose row the caller cannot
--   see, which is every new row. An insert of an id another user holds fails on the primary
--   key anyway, and the handler already words that 23505 as "row id … belongs to another
--   user", so only an op that inserts nothing (a delete, an upsert short of a new row's
--   fields) still asks;
-- - sync_field_error casts a time in a subtransaction only when its fields could be out of
--   range (below).
-- The rest is 0002's. sync_push stays SECURITY DEFINER owned by jotline_sync_writer (0007):
-- CREATE OR REPLACE keeps the owner and the grants, not the SECURITY attribute, so it is
-- restated.

-- Field checks without a subtransaction for the client's own times (0002 cast every one).
create or replace function jotline_private.sync_field_error(tbl text, fields jsonb)
returns text language plpgsql stable set search_path = '' as $$
declare
    k   text;
    val jsonb;
    typ text;   -- text | time | int | uuid | json, with a trailing ! when the column is not null
    jt  text;
    s   text;
begin
    for k, val in select e.key, e.value from jsonb_each(fields) e loop
        typ := case tbl || '.' || k
            when 'entries.kind' then 'text!'
            when 'entries.title' then 'text'
            when 'entries.body' then 'text!'
            when 'entries.occurred_at' then 'time!'
            when 'entries.created_at' then 'time!'
            when 'entries.updated_at' then 'time!'
            when 'entries.deleted_at' then 'time'
            when 'captures.created_at' then 'time!'
            when 'captures.surface' then 'text!'
            when 'captures.text' then 'text'
            when 'captures.audio_path' then 'text'
            when 'captures.audio_duration_ms' then 'int'
            when 'captures.parse_status' then 'text!'
            when 'captures.error' then 'text'
            when 'captures.context' then 'json'
            when 'captures.entry_id' then 'uuid'
            when 'captures.deleted_at' then 'time'
        end;
        if typ is null then
            if k in ('id', 'user_id', 'version', 'tombstoned_at') then
                return format('field %s.%s is not writable', tbl, k);
            end if;
            return format('unknown field %s.%s', tbl, k);
        end if;
        jt := jsonb_typeof(val);
        if jt = 'null' then
            if typ like '%!' then
                return format('%s.%s must not be null', tbl, k);
            end if;
            continue;
        end if;
        s := val #>> '{}';
        case rtrim(typ, '!')
            when 'text' then
                if jt <> 'string' then
                    return format('%s.%s must be a string', tbl, k);
                end if;
                if octet_length(s) > 1048576 then
                    return format('%s longer than 1048576 bytes', k);
                end if;
            when 'time' then
                if jt <> 'string' or s !~ '^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})$' then
                    return format('%s.%s must be an RFC 3339 time with a time zone, got %s', tbl, k, val);
                end if;
                -- The cast needs a subtransaction; a UTC time whose fields are in range on
                -- every day of every month (the client's own) is valid without it.
                if not (right(s, 1) in ('Z', 'z') and substr(s, 1, 4) <> '0000'
                        and substr(s, 6, 2) between '01' and '12'
                        and substr(s, 9, 2) between '01' and '28'
                        and substr(s, 12, 2) between '00' and '23'
                        and substr(s, 15, 2) between '00' and '59'
                        and substr(s, 18, 2) between '00' and '59') then
                    begin
                        perform s::timestamptz;
                    exception when others then
                        return format('%s.%s is not a valid time: %s', tbl, k, s);
                    end;
                end if;
            when 'int' then
                if jt <> 'number' or s !~ '^\d{1,15}$' then
                    return format('%s.%s must be a non-negative integer, got %s', tbl, k, val);
                end if;
            when 'uuid' then
                if jt <> 'string' or s !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
                    return format('%s.%s must be a UUID, got %s', tbl, k, val);
                end if;
            else
                null; -- json: anything
        end case;
        if tbl || '.' || k = 'captures.surface' and s not in ('desktop_hotkey', 'in_app', 'cli') then
            return format('captures.surface must be desktop_hotkey, in_app or cli, got %s', s);
        end if;
        if tbl || '.' || k = 'captures.parse_status'
            and s not in ('pending', 'uploading', 'parsing', 'ready', 'error') then
            return format('captures.parse_status must be pending, uploading, parsing, ready or error, got %s', s);
        end if;
    end loop;
    return null;
end;
$$;

create or replace function public.sync_push(client_id uuid, ops jsonb)
returns jsonb language plpgsql volatile security definer set search_path = '' as $$
declare
    v_uid      uuid := auth.uid();
    v_version  bigint;          -- sync_state.version before this push
    v_stamp    bigint;          -- the version this push stamps (bumped at the first real op)
    v_last     bigint;          -- sync_clients.last_op_seq as we go
    v_prev     bigint := 0;     -- previous op_seq in this batch (must ascend)
    v_results  jsonb[] := '{}';
    v_op       jsonb;
    v_seq      bigint;
    v_tbl      text;
    v_kind     text;
    v_rid      uuid;
    v_fields   jsonb;
    v_reason   text;
    v_deleted  timestamptz;
    v_found    boolean;
    v_state    text;
    v_cons     text;
begin
    if v_uid is null then
        raise exception 'sync_push: not authenticated (no user id in the JWT claims)'
            using errcode = '28000';
    end if;
    if sync_push.client_id is null then
        raise exception 'sync_push: client_id is required' using errcode = '22023';
    end if;
    if sync_push.ops is null or jsonb_typeof(sync_push.ops) <> 'array' then
        raise exception 'sync_push: ops must be a JSON array' using errcode = '22023';
    end if;
    if jsonb_array_length(sync_push.ops) > 1000 then
        raise exception 'sync_push: at most 1000 ops per call, got %', jsonb_array_length(sync_push.ops)
            using errcode = '22023';
    end if;
    -- op_seq is what makes a retry safe: without a valid, ascending one nothing can be recorded.
    for v_op in select value from jsonb_array_elements(sync_push.ops) loop
        if jsonb_typeof(v_op) is distinct from 'object'
            or jsonb_typeof(v_op -> 'op_seq') is distinct from 'number'
            or (v_op ->> 'op_seq') !~ '^\d{1,18}$' or (v_op ->> 'op_seq')::bigint < 1 then
            raise exception 'sync_push: every op needs an integer op_seq >= 1, got %', v_op
                using errcode = '22023';
        end if;
        if (v_op ->> 'op_seq')::bigint <= v_prev then
            raise exception 'sync_push: ops must be in ascending op_seq order (% after %)',
                v_op ->> 'op_seq', v_prev using errcode = '22023';
        end if;
        v_prev := (v_op ->> 'op_seq')::bigint;
    end loop;

    -- The per-user lock, held to commit: pushes of one user commit in version order.
    insert into public.sync_state (user_id) values (v_uid) on conflict do nothing;
    select s.version into v_version from public.sync_state s where s.user_id = v_uid for update;
    insert into public.sync_clients (user_id, client_id) values (v_uid, sync_push.client_id)
        on conflict do nothing;
    select c.last_op_seq into v_last from public.sync_clients c
        where c.user_id = v_uid and c.client_id = sync_push.client_id for update;

    for v_op in select value from jsonb_array_elements(sync_push.ops) loop
        v_seq := (v_op ->> 'op_seq')::bigint;
        if v_seq <= v_last then
            v_results := v_results || jsonb_build_object('op_seq', v_seq, 'status', 'duplicate');
            continue;
        end if;
        if v_stamp is null then
            update public.sync_state s set version = s.version + 1
                where s.user_id = v_uid returning s.version into v_stamp;
        end if;

        begin -- one op: a failure rolls back this op only (a savepoint), the batch goes on
            v_tbl := v_op ->> 'table';
            if v_tbl is null or v_tbl not in ('entries', 'captures') then
                raise exception 'unknown table %', coalesce(v_op -> 'table', 'null');
            end if;
            v_kind := v_op ->> 'op';
            if v_kind is null or v_kind not in ('upsert', 'delete') then
                raise exception 'unknown op %, expected upsert or delete', coalesce(v_op -> 'op', 'null');
            end if;
            if coalesce(v_op ->> 'row_id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
                raise exception 'row_id must be a UUID, got %', coalesce(v_op -> 'row_id', 'null');
            end if;
            v_rid := (v_op ->> 'row_id')::uuid;
            v_fields := coalesce(v_op -> 'fields', '{}'::jsonb);
            if jsonb_typeof(v_fields) <> 'object' then
                raise exception 'fields must be a JSON object';
            end if;
            if v_kind = 'delete' and exists (select 1 from jsonb_object_keys(v_fields) k where k <> 'deleted_at') then
                raise exception 'a delete carries only deleted_at';
            end if;
            v_reason := jotline_private.sync_field_error(v_tbl, v_fields);
            if v_reason is not null then
                raise exception '%', v_reason;
            end if;
            v_deleted := (v_fields ->> 'deleted_at')::timestamptz;
            if v_kind = 'delete' then
                v_deleted := coalesce(v_deleted, now());
            end if;

            if v_tbl = 'entries' then
                perform 1 from public.entries e where e.id = v_rid for update;
                v_found := found;
            else
                perform 1 from public.captures c where c.id = v_rid for update;
                v_found := found;
            end if;
            -- An op that inserts a row fails on another user's id at the primary key (23505,
            -- worded the same below); only an op that would insert nothing has to ask.
            if not v_found
                and not (v_kind = 'upsert' and v_fields ?& case v_tbl
                    when 'entries' then array['occurred_at', 'created_at', 'updated_at']
                    else array['created_at', 'surface'] end)
                and jotline_private.owned_by_other(v_tbl, v_rid) then
                raise exception 'row id % belongs to another user', v_rid;
            end if;

            if v_tbl = 'entries' and v_found then
                -- Delete wins: a tombstone stays as it is (`deleted_at is null` below).
                update public.entries t set
                    kind = case when v_fields ? 'kind' then r.kind else t.kind end,
                    title = case when v_fields ? 'title' then r.title else t.title end,
                    body = case when v_fields ? 'body' then r.body else t.body end,
                    occurred_at = case when v_fields ? 'occurred_at' then r.occurred_at else t.occurred_at end,
                    created_at = case when v_fields ? 'created_at' then r.created_at else t.created_at end,
                    updated_at = case when v_fields ? 'updated_at' then r.updated_at else t.updated_at end,
                    deleted_at = v_deleted,
                    tombstoned_at = case when v_deleted is not null then now() end,
                    version = v_stamp
                from jsonb_populate_record(null::public.entries, case when v_kind = 'delete' then '{}'::jsonb else v_fields end) r
                where t.id = v_rid and t.deleted_at is null;
            elsif v_tbl = 'entries' and v_kind = 'upsert' then
                if not v_fields ?& array['occurred_at', 'created_at', 'updated_at'] then
                    raise exception 'a new entries row needs occurred_at, created_at and updated_at';
                end if;
                insert into public.entries (id, user_id, kind, title, body, occurred_at, created_at,
                                            updated_at, deleted_at, tombstoned_at, version)
                select v_rid, v_uid, coalesce(r.kind, 'note'), r.title, coalesce(r.body, ''),
                       r.occurred_at, r.created_at, r.updated_at, v_deleted,
                       case when v_deleted is not null then now() end, v_stamp
                from jsonb_populate_record(null::public.entries, v_fields) r;
            elsif v_tbl = 'captures' and v_found then
                update public.captures t set
                    created_at = case when v_fields ? 'created_at' then r.created_at else t.created_at end,
                    surface = case when v_fields ? 'surface' then r.surface else t.surface end,
                    text = case when v_fields ? 'text' then r.text else t.text end,
                    audio_path = case when v_fields ? 'audio_path' then r.audio_path else t.audio_path end,
                    audio_duration_ms = case when v_fields ? 'audio_duration_ms' then r.audio_duration_ms else t.audio_duration_ms end,
                    parse_status = case when v_fields ? 'parse_status' then r.parse_status else t.parse_status end,
                    error = case when v_fields ? 'error' then r.error else t.error end,
                    context = case when v_fields ? 'context' then nullif(v_fields -> 'context', 'null'::jsonb) else t.context end,
                    entry_id = case when v_fields ? 'entry_id' then r.entry_id else t.entry_id end,
                    deleted_at = v_deleted,
                    tombstoned_at = case when v_deleted is not null then now() end,
                    version = v_stamp
                from jsonb_populate_record(null::public.captures, case when v_kind = 'delete' then '{}'::jsonb else v_fields end) r
                where t.id = v_rid and t.deleted_at is null;
            elsif v_tbl = 'captures' and v_kind = 'upsert' then
                if not v_fields ?& array['created_at', 'surface'] then
                    raise exception 'a new captures row needs created_at and surface';
                end if;
                insert into public.captures (id, user_id, created_at, surface, text, audio_path,
                                             audio_duration_ms, parse_status, error, context,
                                             entry_id, deleted_at, tombstoned_at, version)
                select v_rid, v_uid, r.created_at, r.surface, r.text, r.audio_path,
                       r.audio_duration_ms, coalesce(r.parse_status, 'pending'), r.error,
                       nullif(v_fields -> 'context', 'null'::jsonb),
                       r.entry_id, v_deleted, case when v_deleted is not null then now() end, v_stamp
                from jsonb_populate_record(null::public.captures, v_fields) r;
            end if;
            -- else: a delete of a row the server never had (created and deleted before a push,
            -- or its create was rejected): nothing to delete, nobody else can have it.
            v_results := v_results || jsonb_build_object('op_seq', v_seq, 'status', 'applied');
        exception when raise_exception or data_exception or integrity_constraint_violation then
            -- Permanent refusals only; anything else (lock timeout, deadlock, privileges) fails
            -- the whole call so that the client retries it.
            get stacked diagnostics v_state = returned_sqlstate, v_cons = constraint_name;
            v_reason := case
                when v_state = '23505' and v_cons in ('entries_pkey', 'captures_pkey')
                    then format('row id %s belongs to another user', v_rid)
                else sqlerrm
            end;
            insert into public.dead_letters (user_id, client_id, op_seq, op, reason)
                values (v_uid, sync_push.client_id, v_seq, v_op, v_reason);
            v_results := v_results || jsonb_build_object('op_seq', v_seq, 'status', 'rejected',
                                                         'reason', v_reason);
        end;
        v_last := v_seq;
    end loop;

    update public.sync_clients c set last_op_seq = v_last, updated_at = now()
        where c.user_id = v_uid and c.client_id = sync_push.client_id;
    return jsonb_build_object('version', coalesce(v_stamp, v_version), 'last_op_seq', v_last,
                              'results', to_jsonb(v_results));
end;
$$;
