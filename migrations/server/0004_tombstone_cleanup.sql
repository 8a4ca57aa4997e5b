-- Jotline sync, server side, part 4: purging old tombstones (README.md, last point of sync_pull).
--
-- Rows deleted (by the server's clock, `tombstoned_at`) longer than `older_than` ago are removed
-- for good, and each affected user's sync_state.horizon is raised to the highest purged
-- version: a client whose cursor is at or below it may have missed a purged tombstone, so
-- sync_pull answers it `must_resync`. For the service (cron, service_role key), not for users.

create function public.cleanup_tombstones(older_than interval default '30 days')
returns bigint language plpgsql volatile security definer set search_path = '' as $$
declare
    v_purged bigint;
begin
    if older_than is null or older_than < interval '0' then
        raise exception 'cleanup_tombstones: older_than must be a non-negative interval'
            using errcode = '22023';
    end if;
    with purged_entries as (
        delete from public.entries e
        where e.deleted_at is not null and e.tombstoned_at < now() - older_than
        returning e.user_id, e.version
    ),
    purged_captures as (
        delete from public.captures c
        where c.deleted_at is not null and c.tombstoned_at < now() - older_than
        returning c.user_id, c.version
    ),
    purged as (
        select * from purged_entries union all select * from purged_captures
    ),
    per_user as (
        select p.user_id, max(p.version) as version, count(*) as n from purged p group by p.user_id
    ),
    raised as (
        update public.sync_state s set horizon = greatest(s.horizon, u.version)
        from per_user u where s.user_id = u.user_id
        returning u.n
    )
    select coalesce(sum(r.n), 0) into v_purged from raised r;
    return v_purged;
end;
$$;
revoke all on function public.cleanup_tombstones(interval) from public, anon, authenticated;
grant execute on function public.cleanup_tombstones(interval) to service_role;
