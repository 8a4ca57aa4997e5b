-- Jotline sync, server side, part 3: sync_pull (README.md "POST /rest/v1/rpc/sync_pull").
--
-- Cursor: 'v1:<version>:<table>:<id>', the position of the last row of the previous page, in
-- the order (version, table, id). Opaque to clients; only sync_pull makes and reads it.
-- Rows are returned with version above the cursor's position. Since versions are handed out
-- under the per-user sync_state row lock (see 0002), no transaction can later commit a row
-- with a version at or below one this pull has seen: nothing is skipped.
--
-- The function is STABLE, so all its statements read one snapshot: the horizon it checks and
-- the rows it returns agree even while cleanup_tombstones commits concurrently.

-- A time as the client's wire format: RFC 3339, UTC, milliseconds ('2026-11-22T10:00:00.000Z').
create function jotline_private.rfc3339(t timestamptz)
returns text language sql stable set search_path = '' as $$
    select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
revoke all on function jotline_private.rfc3339(timestamptz) from public;
grant execute on function jotline_private.rfc3339(timestamptz) to authenticated, service_role;

create function public.sync_pull(cursor text default null, page_size integer default 500)
returns jsonb language plpgsql stable security invoker set search_path = '' as $$
declare
    v_uid     uuid := auth.uid();
    v_ver     bigint := 0;
    v_tbl     text := '';
    v_id      uuid := '00000000-0000-0000-0000-000000000000';
    v_m       text[];
    v_changes jsonb;
    v_count   integer;
    v_next    text;
    v_horizon bigint;
    -- Per table, the (version, id) after which its rows of this page start (see below).
    v_e_ver   bigint;
    v_e_id    uuid;
    v_c_ver   bigint;
    v_c_id    uuid;
begin
    if v_uid is null then
        raise exception 'sync_pull: not authenticated (no user id in the JWT claims)'
            using errcode = '28000';
    end if;
    if sync_pull.page_size is null or sync_pull.page_size < 1 or sync_pull.page_size > 1000 then
        raise exception 'sync_pull: page_size must be between 1 and 1000, got %',
            coalesce(sync_pull.page_size::text, 'null') using errcode = '22023';
    end if;
    if sync_pull.cursor is not null then
        v_m := regexp_match(sync_pull.cursor,
            '^v1:(\d{1,18}):(entries|captures):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$');
        if v_m is null then
            raise exception 'sync_pull: invalid cursor %', sync_pull.cursor
                using errcode = '22023', hint = 'pass null or a next_cursor that sync_pull returned';
        end if;
        v_ver := v_m[1]::bigint;
        v_tbl := v_m[2];
        v_id := v_m[3]::uuid;

        select s.horizon into v_horizon from public.sync_state s where s.user_id = v_uid;
        if coalesce(v_horizon, 0) > 0 and v_ver <= v_horizon then
            return jsonb_build_object('changes', '[]'::jsonb, 'next_cursor', null,
                                      'has_more', false, 'must_resync', true);
        end if;
    end if;

    -- (version, T, id) > (v_ver, v_tbl, v_id) for the rows of table T, as a (version, id) bound
    -- that the (user_id, version, id) index can seek to: after (v_ver, v_id) when T is the
    -- cursor's table, from v_ver on when T sorts after it, above v_ver when T sorts before it.
    -- Each table then yields at most page_size + 1 rows in index order, and only those are
    -- turned into JSON: a page costs the same wherever the cursor is.
    v_e_ver := case when 'entries' > v_tbl then v_ver - 1 else v_ver end;
    v_e_id := case when 'entries' = v_tbl then v_id else 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid end;
    v_c_ver := case when 'captures' > v_tbl then v_ver - 1 else v_ver end;
    v_c_id := case when 'captures' = v_tbl then v_id else 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid end;

    with candidates as (
        select e.version, 'entries'::text as tbl, e.id,
               jsonb_build_object(
                   'id', e.id, 'kind', e.kind, 'title', e.title, 'body', e.body,
                   'occurred_at', jotline_private.rfc3339(e.occurred_at),
                   'created_at', jotline_private.rfc3339(e.created_at),
                   'updated_at', jotline_private.rfc3339(e.updated_at),
                   'deleted_at', jotline_private.rfc3339(e.deleted_at),
                   'version', e.version) as row
        from (select x.* from public.entries x
              where x.user_id = v_uid and (x.version, x.id) > (v_e_ver, v_e_id)
              order by x.version, x.id
              limit sync_pull.page_size + 1) e
        union all
        select c.version, 'captures'::text, c.id,
               jsonb_build_object(
                   'id', c.id, 'created_at', jotline_private.rfc3339(c.created_at),
                   'surface', c.surface, 'text', c.text, 'audio_path', c.audio_path,
                   'audio_duration_ms', c.audio_duration_ms, 'parse_status', c.parse_status,
                   'error', c.error, 'context', c.context, 'entry_id', c.entry_id,
                   'deleted_at', jotline_private.rfc3339(c.deleted_at),
                   'version', c.version)
        from (select x.* from public.captures x
              where x.user_id = v_uid and (x.version, x.id) > (v_c_ver, v_c_id)
              order by x.version, x.id
              limit sync_pull.page_size + 1) c
    ),
    page as (
        select p.*, row_number() over (order by p.version, p.tbl, p.id) as rn
        from (
            select * from candidates k
            where (k.version, k.tbl, k.id) > (v_ver, v_tbl, v_id)
            order by k.version, k.tbl, k.id
            limit sync_pull.page_size + 1
        ) p
    )
    select coalesce(jsonb_agg(jsonb_build_object('table', g.tbl, 'row', g.row) order by g.rn)
                        filter (where g.rn <= sync_pull.page_size), '[]'::jsonb),
           count(*),
           (array_agg(format('v1:%s:%s:%s', g.version, g.tbl, g.id) order by g.rn desc)
                filter (where g.rn <= sync_pull.page_size))[1]
      into v_changes, v_count, v_next
      from page g;

    return jsonb_build_object(
        'changes', v_changes,
        'next_cursor', coalesce(v_next, sync_pull.cursor),
        'has_more', v_count > sync_pull.page_size,
        'must_resync', false);
end;
$$;
revoke all on function public.sync_pull(text, integer) from public, anon;
grant execute on function public.sync_pull(text, integer) to authenticated;
