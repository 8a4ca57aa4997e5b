-- Jotline sync, server side, part 2: sync_push (README.md "POST /rest/v1/rpc/sync_push").
--
-- One call is one transaction. It first locks the caller's sync_state row and, at the first op
-- that is not a duplicate, bumps sync_state.version; the lock is held until commit, so the next
-- push of the same user gets the next version only after this one committed. Every row the push
-- changes is stamped with that version: a puller that sees version N committed has seen every
-- version below N (the commit-ordered cursor of sync_pull).

-- Why the fields of an upsert are unacceptable, or null when they are fine. Pure validation:
-- which fields a table accepts, their JSON types, enums, size limit and RFC 3339 times.
create function jotline_private.sync_field_error(tbl text, fields jsonb)
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
                begin
                    perform s::timestamptz;
                exception when others then
                    return format('%s.%s is not a valid time: %s', tbl, k, s);
                end;
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

-- Whether `row_id` of `tbl` exists and belongs to another user than the caller. Runs as the
-- owner (RLS hides other users' rows from the caller) and says nothing else about the row.
create function jotline_private.owned_by_other(tbl text, row_id uuid)
returns boolean language plpgsql stable security definer set search_path = '' as $$
begin
    if tbl = 'entries' then
        return exists (select 1 from public.entries e
                       where e.id = row_id and e.user_id is distinct from auth.uid());
    elsif tbl = 'captures' then
        return exists (select 1 from public.captures c
                       where c.id = row_id and c.user_id is distinct from auth.uid());
    end if;
    return false;
end;
$$;
revoke all on function jotline_private.sync_field_error(text, jsonb) from public;
revoke all on function jotline_private.owned_by_other(text, uuid) from public;
grant execute on function jotline_private.sync_field_error(text, jsonb) to authenticated;
grant execute on function jotline_private.owned_by_other(text, uuid) to authenticated;

create function public.sync_push(client_id uuid, ops jsonb)
returns jsonb language plpgsql volatile security invoker set search_path = '' as $$
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
            if not v_found and jotline_private.owned_by_other(v_tbl, v_rid) then
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
revoke all on function public.sync_push(uuid, jsonb) from public, anon;
grant execute on function public.sync_push(uuid, jsonb) to authenticated;
